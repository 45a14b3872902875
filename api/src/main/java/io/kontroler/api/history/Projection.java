package io.kontroler.api.history;

import io.kontroler.api.backfills.BackfillStore;
import io.kontroler.api.db.Database;
import io.kontroler.api.db.Rows;
import io.kontroler.api.http.Json;
import io.kontroler.core.run.RunCommand.BackfillProgress;
import io.kontroler.core.run.RunCommand.ChildRunLinked;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskWaitingForPool;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import io.kontroler.core.validate.Problem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps runs, tasks and attempts as a projection of {@code kontroler.run-events}. Every row
 * remembers the position ({@code seq}, the record's offset) of the last event applied to it, and an
 * upsert only applies a later one: delivering an event twice, or replaying the topic from the
 * start, changes nothing. All events of a run share a partition (they are keyed by DAG), so their
 * offsets grow with time.
 *
 * <p>An instance of a forEach task ({@code process[3]}) is a task row of its own, marked with its
 * task and index so that reads count and page a task's instances; a child run's link to its
 * parent's dagRef task is a row of {@code run_links}. Each event writes a row or two whatever the
 * number of instances.
 *
 * <p>What an event causes besides the history (a webhook delivery) is written by an {@link Outbox}
 * in the same transaction: a crash between the two neither loses it nor, when the event is applied
 * again, writes it twice.
 */
public final class Projection {
  private static final Logger LOG = LoggerFactory.getLogger(Projection.class);

  /** Told of each event that changed the history (not of replays), after it is committed. */
  public interface Listener {
    /**
     * @param queuedAt for a task that started running, when its attempt was queued; else null
     */
    void applied(Notification event, Instant queuedAt);
  }

  /** Writes what an event causes, in the transaction that records the event. */
  public interface Outbox {
    /** Nothing to write. */
    Outbox NONE = (c, event) -> {};

    /** Called only for an event that changed the history (not for a replay). */
    void write(Connection c, Notification event) throws SQLException;
  }

  private static final String RUN_UPSERT =
      "INSERT INTO runs (id, dag, dag_version, run_name, phase, parameters, message, counts,"
          + " created_at, started_at, finished_at, event_seq) VALUES (?, ?, ?, ?, ?, '{}', ?, ?,"
          + " ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET dag_version ="
          + " COALESCE(excluded.dag_version, runs.dag_version), run_name ="
          + " COALESCE(excluded.run_name, runs.run_name), phase = excluded.phase, message ="
          + " excluded.message, counts = COALESCE(excluded.counts, runs.counts), started_at ="
          + " COALESCE(runs.started_at, excluded.started_at), finished_at = excluded.finished_at,"
          + " event_seq = excluded.event_seq WHERE runs.event_seq < excluded.event_seq";

  private static final String TASK_UPSERT =
      "INSERT INTO tasks (run_id, task, phase, attempt, exit_code, failure_kind, message,"
          + " started_at, finished_at, event_seq, outputs, task_group, task_index) VALUES (?, ?,"
          + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, task) DO UPDATE SET phase = excluded.phase, attempt ="
          + " excluded.attempt, exit_code = excluded.exit_code, failure_kind ="
          + " excluded.failure_kind, message = excluded.message, outputs = excluded.outputs,"
          + " started_at ="
          + " COALESCE(tasks.started_at, excluded.started_at), finished_at ="
          + " excluded.finished_at, event_seq = excluded.event_seq, waiting_for_pool = CASE"
          + " WHEN excluded.phase = 'Pending' THEN tasks.waiting_for_pool END WHERE"
          + " tasks.event_seq < excluded.event_seq";

  private static final String ATTEMPT_UPSERT =
      "INSERT INTO task_attempts (run_id, task, attempt, phase, exit_code, failure_kind,"
          + " message, queued_at, started_at, finished_at, event_seq) VALUES (?, ?, ?, ?, ?, ?,"
          + " ?, ?, ?, ?, ?) ON CONFLICT (run_id, task, attempt) DO UPDATE SET phase ="
          + " excluded.phase, exit_code = COALESCE(excluded.exit_code, task_attempts.exit_code),"
          + " failure_kind = COALESCE(excluded.failure_kind, task_attempts.failure_kind),"
          + " message = COALESCE(excluded.message, task_attempts.message), queued_at ="
          + " COALESCE(task_attempts.queued_at, excluded.queued_at), started_at ="
          + " COALESCE(task_attempts.started_at, excluded.started_at), finished_at ="
          + " COALESCE(excluded.finished_at, task_attempts.finished_at), event_seq ="
          + " excluded.event_seq WHERE task_attempts.event_seq < excluded.event_seq";

  private final Database db;
  private final Outbox outbox;
  private final List<Listener> listeners;

  public Projection(Database db, Outbox outbox, List<Listener> listeners) {
    this.db = db;
    this.outbox = outbox;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Applies {@code event} found at position {@code seq}; true when it changed the history. A
   * listener's failure is logged and does not undo the change.
   */
  public boolean apply(Notification event, long seq) {
    Instant[] queuedAt = new Instant[1];
    boolean changed =
        db.transaction(
            c -> {
              boolean written = write(c, event, seq, queuedAt);
              if (written) {
                outbox.write(c, event);
              }
              return written;
            });
    if (changed) {
      for (Listener l : listeners) {
        try {
          l.applied(event, queuedAt[0]);
        } catch (RuntimeException e) {
          LOG.error("A listener of the run history failed on {}", event, e);
        }
      }
    }
    return changed;
  }

  private static boolean write(Connection c, Notification event, long seq, Instant[] queuedAt)
      throws SQLException {
    if (event instanceof RunPhaseChanged r) {
      return runChanged(c, r, seq);
    }
    if (event instanceof RunRejected r) {
      return rejected(c, r, seq);
    }
    if (event instanceof ChildRunLinked l) {
      return linked(c, l);
    }
    if (event instanceof BackfillProgress b) {
      return BackfillStore.apply(c, b, seq);
    }
    if (event instanceof TaskWaitingForPool w) {
      return PoolWaits.waiting(c, w, seq);
    }
    if (!(event instanceof TaskPhaseChanged)) {
      return HoldsProjection.write(c, event, seq);
    }
    TaskPhaseChanged t = (TaskPhaseChanged) event;
    boolean changed = taskChanged(c, t, seq);
    if (changed && recordsAttempt(t)) {
      attemptChanged(c, t, seq);
      if (t.to() == TaskPhase.Running) {
        queuedAt[0] = queuedAt(c, t);
      }
    }
    return changed;
  }

  private static boolean runChanged(Connection c, RunPhaseChanged r, long seq) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RUN_UPSERT)) {
      Rows.bind(
          ps,
          r.runId(),
          r.dag(),
          r.dagVersion(),
          r.runName(),
          r.to().name(),
          r.message(),
          r.counts() == null ? null : Json.write(r.counts()),
          r.at(),
          r.to() == RunPhase.Running ? r.at() : null,
          r.to().isFinal() ? r.at() : null,
          seq);
      return ps.executeUpdate() == 1;
    }
  }

  private static boolean rejected(Connection c, RunRejected r, long seq) throws SQLException {
    String why =
        "rejected: "
            + r.problems().stream().map(Problem::toString).collect(Collectors.joining("; "));
    try (PreparedStatement ps = c.prepareStatement(RUN_UPSERT)) {
      Rows.bind(
          ps,
          r.runId(),
          r.dag(),
          null,
          r.runName(),
          RunPhase.Failed.name(),
          why,
          null,
          r.at(),
          null,
          r.at(),
          seq);
      return ps.executeUpdate() == 1;
    }
  }

  /** The link of a child run to its parent's task, written once: a replay finds it there. */
  private static boolean linked(Connection c, ChildRunLinked l) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO run_links (child_run_id, child_dag, parent_run_id, parent_dag,"
                + " parent_task, attempt, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT"
                + " (child_run_id) DO NOTHING")) {
      Rows.bind(
          ps, l.childRunId(), l.childDag(), l.runId(), l.dag(), l.task(), l.attempt(), l.at());
      return ps.executeUpdate() == 1;
    }
  }

  private static boolean taskChanged(Connection c, TaskPhaseChanged t, long seq)
      throws SQLException {
    InstanceName instance = InstanceName.parse(t.task());
    boolean started =
        t.to() == TaskPhase.Running
            || (t.from() == TaskPhase.Queued && t.to().isFinal() && t.to() != TaskPhase.Cancelled);
    try (PreparedStatement ps = c.prepareStatement(TASK_UPSERT)) {
      Rows.bind(
          ps,
          t.runId(),
          t.task(),
          t.to().name(),
          t.attempt(),
          t.exitCode(),
          t.failureKind() == null ? null : t.failureKind().name(),
          t.message(),
          started ? t.at() : null,
          t.to().isFinal() ? t.at() : null,
          seq,
          t.outputs().isEmpty() ? null : Json.write(t.outputs()),
          instance == null ? null : instance.task(),
          instance == null ? null : instance.index());
      return ps.executeUpdate() == 1;
    }
  }

  private static boolean recordsAttempt(TaskPhaseChanged t) {
    return t.attempt() >= 1 && t.to() != TaskPhase.Pending && t.to() != TaskPhase.Skipped;
  }

  private static void attemptChanged(Connection c, TaskPhaseChanged t, long seq)
      throws SQLException {
    TaskPhase phase = t.to() == TaskPhase.Retrying ? TaskPhase.Failed : t.to();
    boolean ended = t.to().isFinal() || t.to() == TaskPhase.Retrying;
    try (PreparedStatement ps = c.prepareStatement(ATTEMPT_UPSERT)) {
      Rows.bind(
          ps,
          t.runId(),
          t.task(),
          t.attempt(),
          phase.name(),
          t.exitCode(),
          t.failureKind() == null ? null : t.failureKind().name(),
          t.message(),
          t.to() == TaskPhase.Queued ? t.at() : null,
          t.to() == TaskPhase.Running ? t.at() : null,
          ended ? t.at() : null,
          seq);
      ps.executeUpdate();
    }
  }

  private static Instant queuedAt(Connection c, TaskPhaseChanged t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT queued_at FROM task_attempts WHERE run_id = ? AND task = ? AND attempt = ?")) {
      Rows.bind(ps, t.runId(), t.task(), t.attempt());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Rows.instant(rs, "queued_at") : null;
      }
    }
  }
}

package io.kontroler.api.history;

import io.kontroler.api.db.Rows;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.RunPauseChanged;
import io.kontroler.core.run.RunCommand.SlaMissed;
import io.kontroler.core.run.RunCommand.TaskApprovalRecorded;
import io.kontroler.core.run.RunState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The history of what holds a run: its pauses, the decisions on its approval tasks and its missed
 * SLAs. Like the rest of the projection, applying an event twice changes nothing the second time.
 */
final class HoldsProjection {
  private HoldsProjection() {}

  /** Applies one of the hold events at position {@code seq}; true when it changed the history. */
  static boolean write(Connection c, Notification event, long seq) throws SQLException {
    if (event instanceof RunPauseChanged p) {
      return paused(c, p, seq);
    }
    if (event instanceof TaskApprovalRecorded a) {
      return approval(c, a);
    }
    if (event instanceof SlaMissed m) {
      return slaMissed(c, m);
    }
    throw new IllegalArgumentException("Expected a run-events notification, but got " + event);
  }

  private static boolean paused(Connection c, RunPauseChanged p, long seq) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE runs SET paused = ?, paused_by = ?, event_seq = ? WHERE id = ? AND event_seq"
                + " < ?")) {
      Rows.bind(ps, p.paused() ? 1 : 0, p.paused() ? p.user() : null, seq, p.runId(), seq);
      return ps.executeUpdate() == 1;
    }
  }

  private static boolean approval(Connection c, TaskApprovalRecorded a) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO task_approvals (run_id, task, attempt, approved, decided_by, comment,"
                + " decided_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, task, attempt)"
                + " DO NOTHING")) {
      Rows.bind(
          ps,
          a.runId(),
          a.task(),
          a.attempt(),
          a.approved() ? 1 : 0,
          a.user(),
          a.comment(),
          a.at());
      return ps.executeUpdate() == 1;
    }
  }

  private static boolean slaMissed(Connection c, SlaMissed m) throws SQLException {
    int inserted;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO sla_misses (run_id, task, seconds, missed_at) VALUES (?, ?, ?, ?) ON"
                + " CONFLICT (run_id, task) DO NOTHING")) {
      Rows.bind(ps, m.runId(), m.task() == null ? RunState.RUN_SLA : m.task(), m.seconds(), m.at());
      inserted = ps.executeUpdate();
    }
    if (inserted == 1) {
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE runs SET sla_missed = 1 WHERE id = ?")) {
        Rows.bind(ps, m.runId());
        ps.executeUpdate();
      }
    }
    return inserted == 1;
  }
}

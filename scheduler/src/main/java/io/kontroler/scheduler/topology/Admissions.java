package io.kontroler.scheduler.topology;

import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.DagPlan;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.RunState;
import io.kontroler.core.run.TaskPhase;
import io.kontroler.core.validate.Problem;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of {@code maxActiveRuns}: the DAG's partition starts a new run of a DAG with a
 * limit only while fewer than that many of its runs are active, whatever asked for it; the others
 * wait in the order they were asked for (shown as Pending, saying so) and start as active runs end.
 * A DAG without a limit is not tracked at all. Runs already active when a limit is first set are
 * not counted; a retried run counts again from its retry.
 */
final class Admissions implements RunLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Admissions.class);

  /** What became of a run asked for. */
  enum Outcome {
    STARTED,
    WAITING,
    /** Not started: rejected, or a run that exists or waits already. */
    REFUSED
  }

  private final ProcessorContext<String, byte[]> context;
  private final RunDriver driver;
  private final AdmissionStores stores;
  private final int maxWaiting;
  private boolean draining;

  Admissions(ProcessorContext<String, byte[]> context, RunDriver driver, int maxWaiting) {
    this.context = context;
    this.driver = driver;
    this.stores = AdmissionStores.from(context);
    this.maxWaiting = maxWaiting;
  }

  /** Starts the run {@code start} asks for (a new one), queues it, or rejects it. */
  Outcome admit(DagPlan plan, RunEvent.RunRequested start, long timestamp) {
    if (isWaiting(start.runId())) {
      LOG.info("Run {} of {} waits already: request ignored", start.runId(), start.dag());
      return Outcome.REFUSED;
    }
    String dag = start.dag();
    Admission before = stores.admissions().get(dag);
    if (before != null && before.waiting() > 0) {
      // The limit may have been raised (or removed) since they queued: they go first.
      drain(dag, timestamp);
    }
    Integer limit = limitOf(dag, plan);
    Admission state = current(dag);
    if (limit == null && state == null) {
      return driver.apply(plan, null, start, timestamp).isRejected()
          ? Outcome.REFUSED
          : Outcome.STARTED;
    }
    state = state == null ? Admission.EMPTY : state;
    AdmissionDecision decision =
        AdmissionDecision.of(dag, limit, state.active().size(), state.waiting(), maxWaiting);
    switch (decision.verdict()) {
      case START:
        return start(plan, start, state, timestamp) ? Outcome.STARTED : Outcome.REFUSED;
      case WAIT:
        enqueue(plan, start, state, decision.message(), timestamp);
        return Outcome.WAITING;
      default:
        reject(start, decision.message(), timestamp);
        return Outcome.REFUSED;
    }
  }

  boolean isWaiting(String runId) {
    return runId != null && stores.index().get(runId) != null;
  }

  /**
   * Takes the waiting run {@code runId} out of its queue, reporting it Cancelled (and to its
   * parent, for a child run); false when it does not wait.
   */
  boolean cancelWaiting(String runId, String reason, long timestamp) {
    String key = runId == null ? null : stores.index().get(runId);
    if (key == null) {
      return false;
    }
    RunEvent.RunRequested request = stores.waiting().get(key);
    stores.index().delete(runId);
    stores.waiting().delete(key);
    Admission state = stores.admissions().get(request.dag());
    if (state != null) {
      put(request.dag(), state.dequeued());
    }
    Instant at = Instant.ofEpochMilli(timestamp);
    String message = reason == null ? "cancelled while waiting" : reason;
    forward(
        request.dag(),
        new RunPhaseChanged(
            runId,
            request.dag(),
            request.dagVersion(),
            request.runName(),
            RunPhase.Pending,
            RunPhase.Cancelled,
            pendingCounts(request),
            message,
            at),
        timestamp);
    toParent(request, RunPhase.Cancelled, message, timestamp);
    LOG.info("Waiting run {} of {} cancelled: {}", runId, request.dag(), message);
    driver.lifecycle().ended(request.dag(), runId, timestamp);
    return true;
  }

  @Override
  public void ended(String dag, String runId, long timestamp) {
    Admission state = stores.admissions().get(dag);
    if (state == null) {
      return;
    }
    if (state.active().contains(runId)) {
      put(dag, state.withoutActive(runId));
    }
    drain(dag, timestamp);
  }

  @Override
  public void reopened(String dag, String runId, long timestamp) {
    Admission state = stores.admissions().get(dag);
    if (state != null || limitOf(dag, null) != null) {
      put(dag, (state == null ? Admission.EMPTY : state).withActive(runId));
    }
  }

  /** Starts the oldest waiting runs of {@code dag} while its limit leaves room. */
  private void drain(String dag, long timestamp) {
    if (draining) {
      return; // a run that ended as it started: the loop below carries on
    }
    draining = true;
    try {
      while (true) {
        Admission state = current(dag);
        if (state == null || state.waiting() == 0) {
          return;
        }
        if (AdmissionDecision.startable(limitOf(dag, null), state.active().size(), 1) == 0) {
          return;
        }
        KeyValue<String, RunEvent.RunRequested> oldest = oldest(dag);
        if (oldest == null) {
          put(dag, new Admission(state.active(), 0, state.nextSeq()));
          return;
        }
        stores.waiting().delete(oldest.key);
        stores.index().delete(oldest.value.runId());
        state = state.dequeued();
        put(dag, state);
        startWaiting(oldest.value, state, timestamp);
      }
    } finally {
      draining = false;
    }
  }

  private void startWaiting(RunEvent.RunRequested waited, Admission state, long timestamp) {
    DagPlan plan = driver.plan(waited.dag(), waited.dagVersion());
    if (plan == null) {
      reject(
          waited,
          "Expected version "
              + waited.dagVersion()
              + " of DAG '"
              + waited.dag()
              + "' to start the waiting run, but it is gone",
          timestamp);
      return;
    }
    // It starts now; it was asked for (and shown Pending) at waited.at().
    RunEvent.RunRequested now =
        new RunEvent.RunRequested(
            waited.runId(),
            waited.dag(),
            waited.dagVersion(),
            waited.runName(),
            waited.parameters(),
            Instant.ofEpochMilli(timestamp),
            waited.logicalDate(),
            waited.parent());
    try {
      start(plan, now, state, timestamp);
    } catch (RuntimeException e) {
      // Not the ending run's fault: this one fails alone, and the queue moves on.
      String what = driver.internalError(e, timestamp);
      reject(waited, "INTERNAL: " + what, timestamp);
    }
  }

  /** Starts the run, counting it while it is active; false when the machine refused it. */
  private boolean start(
      DagPlan plan, RunEvent.RunRequested start, Admission state, long timestamp) {
    var t = driver.apply(plan, null, start, timestamp);
    if (t.isRejected()) {
      return false;
    }
    if (!t.run().phase().isFinal()) {
      // Read again: the run may have ended others on its way (none today, but cheap).
      Admission now = stores.admissions().get(start.dag());
      put(start.dag(), (now == null ? state : now).withActive(start.runId()));
    }
    return true;
  }

  private void enqueue(
      DagPlan plan, RunEvent.RunRequested start, Admission state, String message, long timestamp) {
    String key = AdmissionStores.queueKey(start.dag(), state.nextSeq());
    stores.waiting().put(key, start);
    stores.index().put(start.runId(), key);
    put(start.dag(), state.enqueued());
    LOG.info("Run {} of {} {}", start.runId(), start.dag(), message);
    forward(
        start.dag(),
        new RunPhaseChanged(
            start.runId(),
            start.dag(),
            plan.version(),
            start.runName(),
            null,
            RunPhase.Pending,
            PhaseCounts.ZERO.plus(TaskPhase.Pending, plan.size()),
            message,
            start.at()),
        timestamp);
  }

  private void reject(RunEvent.RunRequested start, String message, long timestamp) {
    LOG.info("Run {} of {} not started: {}", start.runId(), start.dag(), message);
    forward(
        start.dag(),
        new RunRejected(
            start.runId(),
            start.dag(),
            start.runName(),
            List.of(new Problem("maxActiveRuns", message)),
            start.at()),
        timestamp);
    toParent(start, RunPhase.Failed, message, timestamp);
  }

  /** A child run that will not run tells its parent's dagRef task, which waits for it. */
  private void toParent(RunEvent.RunRequested run, RunPhase phase, String message, long timestamp) {
    if (run.parent() == null) {
      return;
    }
    var p = run.parent();
    driver.send(
        new Inbound.ChildRunEnded(
            p.dag(),
            p.runId(),
            p.task(),
            p.attempt(),
            run.runId(),
            run.dag(),
            phase,
            message,
            Instant.ofEpochMilli(timestamp)),
        timestamp);
  }

  /** The DAG's admission with its active list rid of runs that ended or are gone; null if none. */
  private Admission current(String dag) {
    Admission state = stores.admissions().get(dag);
    if (state == null) {
      return null;
    }
    List<String> active =
        state.active().stream()
            .filter(
                id -> {
                  RunState run = driver.stores().runs().get(id);
                  return run != null && !run.phase().isFinal();
                })
            .toList();
    if (active.size() != state.active().size()) {
      state = state.withActive(active);
      put(dag, state);
    }
    return state.isEmpty() ? null : state;
  }

  private KeyValue<String, RunEvent.RunRequested> oldest(String dag) {
    try (KeyValueIterator<String, RunEvent.RunRequested> it =
        stores
            .waiting()
            .range(
                AdmissionStores.queueKey(dag, 0), AdmissionStores.queueKey(dag, Long.MAX_VALUE))) {
      return it.hasNext() ? it.next() : null;
    }
  }

  /** The limit of the DAG's latest version; {@code fallback}'s when the DAG is gone. */
  private Integer limitOf(String dag, DagPlan fallback) {
    DagHead head = driver.stores().heads().get(dag);
    if (head != null && !head.deleted()) {
      DagPlan latest = driver.plan(dag, head.version());
      if (latest != null) {
        return latest.spec().maxActiveRuns();
      }
    }
    return fallback == null ? null : fallback.spec().maxActiveRuns();
  }

  private void put(String dag, Admission state) {
    if (state.isEmpty()) {
      stores.admissions().delete(dag);
    } else {
      stores.admissions().put(dag, state);
    }
  }

  private PhaseCounts pendingCounts(RunEvent.RunRequested request) {
    DagPlan plan = driver.plan(request.dag(), request.dagVersion());
    return PhaseCounts.ZERO.plus(TaskPhase.Pending, plan == null ? 0 : plan.size());
  }

  private void forward(String dag, Object event, long timestamp) {
    context.forward(
        new Record<>(dag, MessageCodec.encode(event), timestamp),
        SchedulerTopology.RUN_EVENTS_SINK);
  }
}

package io.kontroler.scheduler.topology;

import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.DagPlan;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunState;
import io.kontroler.core.validate.Problem;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the concurrency policy: the DAG's partition applies {@code concurrencyPolicy} to
 * the runs its schedule asks for ({@link RunRequested#SCHEDULE}) against the DAG's active
 * schedule-started runs, kept in the {@code scheduled-runs} store, which holds active runs only. A
 * scheduled run that waits under the DAG's {@code maxActiveRuns} counts as active here: Forbid
 * rejects the next slot while it waits, Replace cancels it. Then {@link Admissions} decides when
 * the run the policy lets through starts.
 */
final class ConcurrencyGate {
  private static final Logger LOG = LoggerFactory.getLogger(ConcurrencyGate.class);
  private final ProcessorContext<String, byte[]> context;
  private final RunDriver driver;
  private final Admissions admissions;

  ConcurrencyGate(
      ProcessorContext<String, byte[]> context, RunDriver driver, Admissions admissions) {
    this.context = context;
    this.driver = driver;
    this.admissions = admissions;
  }

  /**
   * Starts the run {@code start} asks for when the policy lets it, rejecting it (naming the active
   * run) or cancelling the runs it replaces otherwise.
   */
  void request(DagPlan plan, RunEvent.RunRequested start, long timestamp) {
    RunStores stores = driver.stores();
    List<String> active = activeRuns(stores, admissions, start.dag());
    ConcurrencyDecision decision = ConcurrencyDecision.of(plan.spec().concurrencyPolicy(), active);
    if (!decision.starts()) {
      reject(start, decision.blockedBy(), timestamp);
      return;
    }
    if (admissions.admit(plan, start, timestamp) == Admissions.Outcome.REFUSED) {
      return;
    }
    ScheduledRuns scheduled = new ScheduledRuns(active);
    for (String replaced : decision.replaces()) {
      RunState run = stores.runs().get(replaced);
      if (run == null) {
        admissions.cancelWaiting(replaced, "replaced by " + start.runId(), timestamp);
        scheduled = scheduled.without(replaced);
        continue;
      }
      driver.apply(
          driver.plan(run.dag(), run.dagVersion()),
          run,
          new RunEvent.CancelRequested(
              replaced, start.dag(), "replaced by " + start.runId(), start.at()),
          timestamp);
      scheduled = scheduled.without(replaced);
    }
    stores.scheduled().put(start.dag(), scheduled.with(start.runId()));
  }

  /** {@code run} finished: it no longer counts against its DAG's policy. */
  static void finished(RunStores stores, RunState run) {
    ScheduledRuns scheduled = stores.scheduled().get(run.dag());
    if (scheduled != null && scheduled.active().contains(run.runId())) {
      put(stores, run.dag(), scheduled.without(run.runId()));
    }
  }

  /**
   * The DAG's active (or waiting) schedule-started runs; entries whose run is gone or final are
   * dropped.
   */
  private static List<String> activeRuns(RunStores stores, Admissions admissions, String dag) {
    ScheduledRuns scheduled = stores.scheduled().get(dag);
    if (scheduled == null) {
      return List.of();
    }
    List<String> active =
        scheduled.active().stream()
            .filter(
                id -> {
                  RunState run = stores.runs().get(id);
                  return run == null ? admissions.isWaiting(id) : !run.phase().isFinal();
                })
            .toList();
    if (active.size() != scheduled.active().size()) {
      put(stores, dag, new ScheduledRuns(active));
    }
    return active;
  }

  private static void put(RunStores stores, String dag, ScheduledRuns scheduled) {
    if (scheduled.isEmpty()) {
      stores.scheduled().delete(dag);
    } else {
      stores.scheduled().put(dag, scheduled);
    }
  }

  private void reject(RunEvent.RunRequested start, String activeRun, long timestamp) {
    RunState active = driver.stores().runs().get(activeRun);
    String message =
        "Expected no active scheduled run of DAG '"
            + start.dag()
            + "' (concurrencyPolicy Forbid), but run "
            + activeRun
            + " is "
            + (active == null ? "waiting (maxActiveRuns)" : active.phase());
    LOG.info("Scheduled run {} of {} not started: {}", start.runId(), start.dag(), message);
    reject(start, List.of(new Problem("concurrencyPolicy", message)), timestamp);
  }

  /** Reports on the run events that the run {@code start} asks for does not start, and why. */
  void reject(RunEvent.RunRequested start, List<Problem> problems, long timestamp) {
    RunRejected rejected =
        new RunRejected(start.runId(), start.dag(), start.runName(), problems, start.at());
    context.forward(
        new Record<>(start.dag(), MessageCodec.encode(rejected), timestamp),
        SchedulerTopology.RUN_EVENTS_SINK);
  }
}

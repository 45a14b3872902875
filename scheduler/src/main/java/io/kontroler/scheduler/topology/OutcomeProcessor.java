package io.kontroler.scheduler.topology;

import io.kontroler.core.message.ExecutorHeartbeat;
import io.kontroler.core.run.DagPlan;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunState;
import io.kontroler.core.run.Transition;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code kontroler.task-outcomes}: TaskAccepted, TaskStarted, TaskSucceeded and TaskFailed
 * from executors, keyed by DAG, and executor heartbeats, keyed {@code executor:<id>}. Duplicate and
 * stale outcomes are rejected by the state machine by (run, task, attempt). A wall-clock punctuator
 * expires the leases of executors that stopped heartbeating, measured on the timestamps of the
 * records read ({@link LeaseKeeper}).
 */
final class OutcomeProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(OutcomeProcessor.class);
  private final PlanCache plans;
  private final CommitPacing pacing;
  private final Duration retention;
  private final Duration lease;
  private final Duration checkInterval;
  private final SchedulerMetrics metrics;
  private final AdmissionLimits limits;
  private RunDriver driver;
  private LeaseKeeper leases;
  private ProcessorContext<String, byte[]> context;

  OutcomeProcessor(
      PlanCache plans,
      Duration retention,
      CommitPacing pacing,
      Duration lease,
      Duration checkInterval,
      SchedulerMetrics metrics,
      AdmissionLimits limits) {
    this.limits = limits;
    this.plans = plans;
    this.retention = retention;
    this.pacing = pacing;
    this.lease = lease;
    this.checkInterval = checkInterval;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    driver = new RunDriver(context, RunStores.from(context), plans, pacing, retention, metrics);
    Admissions admissions = new Admissions(context, driver, limits.maxWaitingRuns());
    driver.watch(
        RunLifecycle.both(
            admissions, new Backfills(context, driver, admissions, limits.maxBackfillSlots())));
    leases = new LeaseKeeper(driver, lease, context.currentSystemTimeMs());
    context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, leases::expire);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    driver.recordIn(record);
    leases.observed(record.timestamp(), context.currentSystemTimeMs());
    try {
      handle(record);
    } catch (RuntimeException e) {
      driver.internalError(record, e);
    }
  }

  private void handle(Record<String, byte[]> record) {
    if (record.key() != null && record.key().startsWith(ExecutorHeartbeat.KEY_PREFIX)) {
      ExecutorHeartbeat beat =
          driver.decodeKeyed(record, ExecutorHeartbeat.class, ExecutorHeartbeat::key);
      if (beat != null && beat.executor() != null) {
        leases.heard(beat.executor(), record.timestamp(), context.currentSystemTimeMs());
      }
      return;
    }
    RunEvent event = driver.decodeKeyed(record, RunEvent.class, RunEvent::dag);
    if (event == null) {
      return;
    }
    RunState run = event.runId() == null ? null : driver.stores().runs().get(event.runId());
    if (run == null) {
      LOG.info("Outcome for unknown run {} of DAG {} ignored", event.runId(), event.dag());
      return;
    }
    DagPlan plan = driver.plan(run.dag(), run.dagVersion());
    Transition t = driver.apply(plan, run, event, record.timestamp());
    if (event instanceof RunEvent.TaskAccepted a && !t.isRejected()) {
      // Taking an attempt is a sign of life, and makes the executor's lease watched here.
      leases.heard(a.executor(), record.timestamp(), context.currentSystemTimeMs());
    }
  }
}

package io.kontroler.scheduler.topology;

import io.kontroler.core.run.DagPlan;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunState;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code kontroler.task-outcomes} (TaskStarted, TaskSucceeded, TaskFailed from executors).
 * Duplicate and stale outcomes are rejected by the state machine by (run, task, attempt).
 */
final class OutcomeProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(OutcomeProcessor.class);
  private final PlanCache plans;
  private final CommitPacing pacing;
  private final Duration retention;
  private RunDriver driver;

  OutcomeProcessor(PlanCache plans, Duration retention, CommitPacing pacing) {
    this.plans = plans;
    this.retention = retention;
    this.pacing = pacing;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    driver = new RunDriver(context, RunStores.from(context), plans, pacing, retention);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    driver.recordIn(record);
    try {
      handle(record);
    } catch (RuntimeException e) {
      LOG.error("Could not apply a task outcome with key {}", record.key(), e);
      driver.deadLetter(record, "internal error: " + e);
    }
  }

  private void handle(Record<String, byte[]> record) {
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
    driver.apply(plan, run, event, record.timestamp());
  }
}

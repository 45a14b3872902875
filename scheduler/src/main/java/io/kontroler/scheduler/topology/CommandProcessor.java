package io.kontroler.scheduler.topology;

import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.CancelRun;
import io.kontroler.core.message.Inbound.DagSubmitted;
import io.kontroler.core.message.Inbound.DagTaskSubmitted;
import io.kontroler.core.message.Inbound.RetryRun;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.run.DagPlan;
import io.kontroler.core.run.ParentRun;
import io.kontroler.core.run.RunCommand.StartTimer;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.RunState;
import io.kontroler.core.validate.Problem;
import io.kontroler.core.validate.RunValidator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code kontroler.commands} (run requests, cancels, retries, DAG and DagTask submissions,
 * backfills), fires due timers and lets go of finished runs past their retention: a wall-clock
 * punctuator, the one place where the scheduler reads the clock.
 */
final class CommandProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);
  private final PlanCache plans;
  private final CommitPacing pacing;
  private final Duration timerInterval;
  private final Duration retention;
  private final SchedulerMetrics metrics;
  private final int maxMessageBytes;
  private final CommandRouting routing;
  private final AdmissionLimits limits;
  private final Duration poolLease;
  private ProcessorContext<String, byte[]> context;
  private RunDriver driver;
  private ConcurrencyGate gate;
  private Admissions admissions;
  private Backfills backfills;
  private CatalogSubmissions submissions;

  CommandProcessor(
      PlanCache plans,
      Duration timerInterval,
      Duration retention,
      CommitPacing pacing,
      int maxMessageBytes,
      SchedulerMetrics metrics,
      CommandRouting routing,
      AdmissionLimits limits,
      Duration poolLease) {
    this.poolLease = poolLease;
    this.metrics = metrics;
    this.limits = limits;
    this.routing = routing;
    this.plans = plans;
    this.maxMessageBytes = maxMessageBytes;
    this.pacing = pacing;
    this.timerInterval = timerInterval;
    this.retention = retention;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    driver = new RunDriver(context, RunStores.from(context), plans, pacing, retention, metrics);
    admissions = new Admissions(context, driver, limits.maxWaitingRuns());
    backfills = new Backfills(context, driver, admissions, limits.maxBackfillSlots());
    driver.watch(RunLifecycle.both(admissions, backfills));
    gate = new ConcurrencyGate(context, driver, admissions);
    submissions = new CatalogSubmissions(context, driver.stores(), maxMessageBytes);
    context.schedule(timerInterval, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    driver.recordIn(record);
    if (moved(record)) {
      return;
    }
    try {
      handle(record);
    } catch (RuntimeException e) {
      driver.internalError(record, e);
    }
  }

  /**
   * Sends a command that a producer put on another partition than its DAG's on to its owner, in
   * this transaction; true when it did.
   */
  private boolean moved(Record<String, byte[]> record) {
    int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
    if (!routing.misplaced(record.key(), partition, record.headers())) {
      return false;
    }
    LOG.debug("Command for {} read on partition {}: moved to its owner", record.key(), partition);
    Record<String, byte[]> copy = record.withHeaders(record.headers());
    copy.headers()
        .add(CommandRouting.MOVED, String.valueOf(partition).getBytes(StandardCharsets.UTF_8));
    context.forward(copy, SchedulerTopology.COMMANDS_SINK);
    return true;
  }

  private void handle(Record<String, byte[]> record) {
    Inbound command = driver.decodeKeyed(record, Inbound.class, Inbound::dag);
    if (command == null) {
      return;
    }
    if (command instanceof RunRequested r) {
      requestRun(record, r);
    } else if (command instanceof CancelRun c) {
      control(
          record,
          c.runId(),
          new RunEvent.CancelRequested(c.runId(), c.dag(), c.reason(), at(record)));
    } else if (command instanceof RetryRun r) {
      control(record, r.runId(), new RunEvent.RetryRequested(r.runId(), r.dag(), at(record)));
    } else if (command instanceof Inbound.RerunTask r) {
      checked(
          record,
          r.runId(),
          r.dag(),
          new RunEvent.RerunRequested(r.runId(), r.dag(), r.task(), at(record)));
    } else if (command instanceof Inbound.PauseRun p) {
      checked(
          record,
          p.runId(),
          p.dag(),
          new RunEvent.PauseRequested(p.runId(), p.dag(), p.user(), at(record)));
    } else if (command instanceof Inbound.ResumeRun p) {
      checked(
          record,
          p.runId(),
          p.dag(),
          new RunEvent.ResumeRequested(p.runId(), p.dag(), p.user(), at(record)));
    } else if (command instanceof Inbound.ApproveTask a) {
      checked(
          record,
          a.runId(),
          a.dag(),
          new RunEvent.ApprovalDecided(
              a.runId(), a.dag(), a.task(), a.user(), a.roles(), true, a.comment(), at(record)));
    } else if (command instanceof Inbound.RejectTask r) {
      checked(
          record,
          r.runId(),
          r.dag(),
          new RunEvent.ApprovalDecided(
              r.runId(), r.dag(), r.task(), r.user(), r.roles(), false, r.comment(), at(record)));
    } else if (command instanceof Inbound.ChildRunEnded c) {
      control(
          record,
          c.runId(),
          new RunEvent.ChildRunEnded(
              c.runId(),
              c.dag(),
              c.task(),
              c.attempt(),
              c.childRunId(),
              c.phase(),
              c.message(),
              at(record)));
    } else if (command instanceof Inbound.SlotGranted g) {
      granted(record, g);
    } else if (command instanceof Inbound.BackfillRequested b) {
      backfills.request(b, record.timestamp());
    } else if (command instanceof Inbound.CancelBackfill c) {
      backfills.cancel(c, record.timestamp());
    } else if (command instanceof Inbound.DagSubmissionPart p) {
      submissions.part(p);
    } else if (command instanceof DagSubmitted s) {
      if (s.spec() == null) {
        driver.deadLetter(record, "DagSubmitted needs a spec");
      } else {
        submissions.dag(s, record.timestamp()).ifPresent(why -> driver.deadLetter(record, why));
      }
    } else if (command instanceof DagTaskSubmitted s) {
      if (s.spec() == null || !s.dag().equals(DagTaskSubmitted.key(s.namespace(), s.name()))) {
        driver.deadLetter(
            record, "DagTaskSubmitted needs a spec and dag = dagtask:<namespace>/<name>");
      } else {
        submissions.dagTask(s, record.timestamp()).ifPresent(why -> driver.deadLetter(record, why));
      }
    }
  }

  private void requestRun(Record<String, byte[]> record, RunRequested request) {
    DagHead head = driver.stores().heads().get(request.dag());
    if (head == null || head.deleted()) {
      String why =
          "Expected a published DAG '"
              + request.dag()
              + "', but it "
              + (head == null ? "is unknown" : "was deleted");
      driver.deadLetter(record, why);
      if (request.parent() != null) {
        // The parent's dagRef task waits for its child: it fails instead.
        ParentRun p = request.parent();
        String childRunId = RunIds.forRequest(request.dag(), request.idempotencyKey());
        driver.send(
            new Inbound.ChildRunEnded(
                p.dag(),
                p.runId(),
                p.task(),
                p.attempt(),
                childRunId,
                request.dag(),
                RunPhase.Failed,
                why,
                at(record)),
            record.timestamp());
      }
      return;
    }
    DagPlan plan = driver.plan(request.dag(), head.version());
    String key = request.idempotencyKey();
    if (key == null || key.isBlank()) {
      RecordMetadata meta = driver.recordMetadata();
      key = RunIds.positionKey(meta.topic(), meta.partition(), meta.offset());
    }
    String runId = RunIds.forRequest(request.dag(), key);
    Instant at = request.requestedAt() != null ? request.requestedAt() : at(record);
    // A scheduled run stands for its cron slot ({{ run.logicalDate }}), whenever it starts.
    Instant logicalDate =
        RunRequested.SCHEDULE.equals(request.trigger()) ? request.requestedAt() : null;
    RunEvent.RunRequested event =
        new RunEvent.RunRequested(
            runId,
            request.dag(),
            head.version(),
            request.runName(),
            request.parameters(),
            at,
            logicalDate,
            request.parent());
    RunState existing = driver.stores().runs().get(runId);
    List<Problem> nameProblems = RunValidator.checkRunName(request.runName(), "runName");
    if (existing == null && !nameProblems.isEmpty()) {
      gate.reject(event, nameProblems, record.timestamp());
    } else if (existing == null && RunRequested.SCHEDULE.equals(request.trigger())) {
      gate.request(plan, event, record.timestamp());
    } else if (existing == null) {
      admissions.admit(plan, event, record.timestamp());
    } else {
      driver.apply(plan, existing, event, record.timestamp());
    }
  }

  private void control(Record<String, byte[]> record, String runId, RunEvent event) {
    RunState run = runId == null ? null : driver.stores().runs().get(runId);
    if (run == null
        && event instanceof RunEvent.CancelRequested c
        && admissions.cancelWaiting(runId, c.reason(), record.timestamp())) {
      return;
    }
    if (run == null) {
      LOG.info(
          "{} for unknown run {} of DAG {} ignored",
          event.getClass().getSimpleName(),
          runId,
          event.dag());
      return;
    }
    driver.apply(driver.plan(run.dag(), run.dagVersion()), run, event, record.timestamp());
  }

  /**
   * Applies a user's request (a re-run, a pause, a resume, an approval) to a run this partition
   * still holds (active, or finished within the retention); a request for an unknown run, or one
   * the machine rejects, goes to the dead letters, saying why.
   */
  private void checked(Record<String, byte[]> record, String runId, String dag, RunEvent event) {
    RunState run = runId == null ? null : driver.stores().runs().get(runId);
    if (run == null || !run.dag().equals(dag)) {
      driver.deadLetter(
          record,
          "Expected a run "
              + runId
              + " of DAG "
              + dag
              + " (active, or finished within the retention of finished runs), but there is none");
      return;
    }
    var t = driver.apply(driver.plan(run.dag(), run.dagVersion()), run, event, record.timestamp());
    if (t.isRejected()) {
      driver.deadLetter(record, t.rejection().message());
    }
  }

  /**
   * A slot of a shared pool for an attempt of a run of this partition: the attempt starts, or the
   * slot goes back at once (the machine decides); a grant for a run this partition no longer holds
   * goes back too.
   */
  private void granted(Record<String, byte[]> record, Inbound.SlotGranted g) {
    RunEvent.PoolSlotGranted event =
        new RunEvent.PoolSlotGranted(
            g.runId(), g.dag(), g.task(), g.attempt(), g.pool(), at(record));
    RunState run = g.runId() == null ? null : driver.stores().runs().get(g.runId());
    DagPlan plan = run == null ? null : driver.plan(run.dag(), run.dagVersion());
    driver.apply(plan, run, event, record.timestamp());
  }

  private void punctuate(long now) {
    fireDueTimers(now);
    driver.expireFinishedRuns(now);
    driver.holds().renewDue(context, driver.stores(), poolLease, now);
  }

  private void fireDueTimers(long now) {
    List<KeyValue<Bytes, StartTimer>> due = DueKeys.due(driver.stores().timers(), now);
    driver.timersFiring(now);
    for (KeyValue<Bytes, StartTimer> entry : due) {
      driver.fireTimer(entry.key, entry.value, now);
    }
  }

  private static Instant at(Record<String, byte[]> record) {
    return Instant.ofEpochMilli(record.timestamp());
  }
}

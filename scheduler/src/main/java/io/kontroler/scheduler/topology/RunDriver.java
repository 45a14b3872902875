package io.kontroler.scheduler.topology;

import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.DagPlan;
import io.kontroler.core.run.Rejection;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunCommand.ExecutorCommand;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.StartTimer;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunMachine;
import io.kontroler.core.run.RunState;
import io.kontroler.core.run.TaskState;
import io.kontroler.core.run.Transition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The adapter's one move, shared by the processors and the timer punctuator: read the run from the
 * stores, apply the event with {@link RunMachine}, write what changed, and send the commands on:
 * executor commands to the task-launches sink, notifications to the run-events sink, timers to the
 * timer store. Also writes dead letters.
 */
final class RunDriver {
  private static final Logger LOG = LoggerFactory.getLogger(RunDriver.class);

  private final ProcessorContext<String, byte[]> context;
  private final RunStores stores;
  private final PlanCache plans;
  private final CommitPacer pacer;
  private final Duration retention;

  /**
   * @param pacing when to ask for a commit after a launch or a run phase change is forwarded
   * @param retention how long a finished run's state is kept
   */
  RunDriver(
      ProcessorContext<String, byte[]> context,
      RunStores stores,
      PlanCache plans,
      CommitPacing pacing,
      Duration retention) {
    this.context = context;
    this.stores = stores;
    this.plans = plans;
    this.pacer = new CommitPacer(context, pacing);
    this.retention = retention;
  }

  RunStores stores() {
    return stores;
  }

  /** The plan of a DAG version, or null when the version is unknown here. */
  DagPlan plan(String dag, int version) {
    return plans.get(dag, version, key -> stores.versions().get(key));
  }

  RecordMetadata recordMetadata() {
    return context.recordMetadata().orElseThrow();
  }

  /** Notes the input record being processed, for commit pacing. */
  void recordIn(Record<String, byte[]> record) {
    pacer.recordIn(record.timestamp());
  }

  /** Timers are firing at {@code now}: their output counts as fresh for commit pacing. */
  void timersFiring(long now) {
    pacer.recordIn(now);
  }

  /** Applies {@code event} to its run (null when the run does not exist yet). */
  Transition apply(DagPlan plan, RunState run, RunEvent event, long timestamp) {
    String runId = event.runId();
    Transition t =
        RunMachine.apply(
            plan, run, task -> stores.tasks().get(RunStores.taskKey(runId, task)), event);
    if (t.isRejected()) {
      logRejection(event, t.rejection());
    } else {
      stores.runs().put(runId, t.run());
      for (TaskState task : t.changedTasks()) {
        stores.tasks().put(RunStores.taskKey(runId, task.name()), task);
      }
      boolean wasFinal = run != null && run.phase().isFinal();
      if (t.run().phase().isFinal() && !wasFinal) {
        stores.expiries().put(DueKeys.of(expiryOf(t.run(), timestamp), runId), runId);
        ConcurrencyGate.finished(stores, t.run());
      }
    }
    for (RunCommand command : t.commands()) {
      send(command, timestamp);
    }
    return t;
  }

  /**
   * Deletes the state of runs that finished more than the retention ago, with their tasks. A run
   * retried since is kept: it has a later expiry of its own once it finishes again.
   */
  void expireFinishedRuns(long now) {
    for (KeyValue<Bytes, String> entry : DueKeys.due(stores.expiries(), now)) {
      stores.expiries().delete(entry.key);
      RunState run = stores.runs().get(entry.value);
      if (run == null || !run.phase().isFinal() || expiryOf(run, 0) > now) {
        continue;
      }
      DagPlan plan = plan(run.dag(), run.dagVersion());
      if (plan != null) {
        for (int i = 0; i < plan.size(); i++) {
          stores.tasks().delete(RunStores.taskKey(run.runId(), plan.name(i)));
        }
      }
      stores.runs().delete(run.runId());
      LOG.debug(
          "Run {} of {} finished {}: state released", run.runId(), run.dag(), run.finishedAt());
    }
  }

  /** When {@code run}'s state may go: the retention after it finished. */
  private long expiryOf(RunState run, long fallback) {
    long finished = run.finishedAt() != null ? run.finishedAt().toEpochMilli() : fallback;
    return finished + retention.toMillis();
  }

  /**
   * The message in {@code record} when it decodes as {@code type} and the record is keyed by the
   * message's DAG ({@code dagOf}); otherwise the record goes to the dead letters and the answer is
   * null.
   */
  <T> T decodeKeyed(Record<String, byte[]> record, Class<T> type, Function<T, String> dagOf) {
    T message;
    try {
      message = MessageCodec.decode(record.value(), type);
    } catch (InvalidMessageException e) {
      deadLetter(record, e.getMessage());
      return null;
    }
    String dag = dagOf.apply(message);
    if (dag == null || !dag.equals(record.key())) {
      deadLetter(
          record, "Expected the record key to be the DAG '" + dag + "', but got " + record.key());
      return null;
    }
    return message;
  }

  /** Sends {@code record} to the dead letters with {@code reason}, keeping where it came from. */
  void deadLetter(Record<String, byte[]> record, String reason) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    String topic = meta == null ? null : meta.topic();
    int partition = meta == null ? -1 : meta.partition();
    long offset = meta == null ? -1 : meta.offset();
    String value =
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    LOG.warn(
        "Dead letter from {}-{}@{} (key {}): {}", topic, partition, offset, record.key(), reason);
    DeadLetter letter =
        new DeadLetter(
            reason,
            topic,
            partition,
            offset,
            record.key(),
            value,
            Instant.ofEpochMilli(record.timestamp()));
    context.forward(
        new Record<>(record.key(), MessageCodec.encode(letter), record.timestamp()),
        SchedulerTopology.DEAD_LETTERS_SINK);
  }

  private void send(RunCommand command, long timestamp) {
    if (command instanceof StartTimer timer) {
      stores.timers().put(DueKeys.of(timer), timer);
      return;
    }
    String sink;
    if (command instanceof ExecutorCommand) {
      sink = SchedulerTopology.LAUNCHES_SINK;
      pacer.urgent();
    } else if (command instanceof Notification) {
      sink = SchedulerTopology.RUN_EVENTS_SINK;
      if (command instanceof RunPhaseChanged) {
        pacer.urgent();
      }
    } else {
      throw new IllegalStateException("Expected a known command, but got " + command);
    }
    context.forward(new Record<>(command.dag(), MessageCodec.encode(command), timestamp), sink);
  }

  private static void logRejection(RunEvent event, Rejection rejection) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    MDC.put("dag", event.dag());
    MDC.put("run", event.runId());
    try {
      if (rejection.reason() == Rejection.Reason.INVALID_REQUEST) {
        LOG.info("Run {} rejected: {}", event.runId(), rejection.message());
      } else {
        LOG.info(
            "{} ignored ({}): {}",
            event.getClass().getSimpleName(),
            rejection.reason(),
            rejection.message());
      }
    } finally {
      MDC.remove("dag");
      MDC.remove("run");
    }
  }
}

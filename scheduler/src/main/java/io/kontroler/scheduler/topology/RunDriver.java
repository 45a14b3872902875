package io.kontroler.scheduler.topology;

import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.LaunchKeys;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.DagPlan;
import io.kontroler.core.run.Instances;
import io.kontroler.core.run.Rejection;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunCommand.ExecutorCommand;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.SendInbound;
import io.kontroler.core.run.RunCommand.StartTimer;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunMachine;
import io.kontroler.core.run.RunState;
import io.kontroler.core.run.TaskState;
import io.kontroler.core.run.Transition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Unexpected errors are data: the whole transition (the machine's answer and every output
 * encoded) is computed in memory before anything is written, so an exception thrown there (a bug or
 * a poison value) leaves the stores as they were; the processor then fails the run with reason
 * INTERNAL, dead-letters the record with its context and counts it ({@link #internalError}).
 */
final class RunDriver {
  private static final Logger LOG = LoggerFactory.getLogger(RunDriver.class);
  private static final long TIMER_BACKOFF_MIN_MS = 1000;
  private static final long TIMER_BACKOFF_MAX_MS = 60_000;

  /** How much of a record's value a dead letter copies. */
  static final int DEAD_LETTER_VALUE_CHARS = 8192;

  private final ProcessorContext<String, byte[]> context;
  private final RunStores stores;
  private final PlanCache plans;
  private final CommitPacer pacer;
  private final Duration retention;
  private final AttemptLeases leases;
  private final PoolHolds holds;
  private final SchedulerMetrics metrics;
  private RunLifecycle lifecycle = RunLifecycle.NONE;

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
    this(context, stores, plans, pacing, retention, new SchedulerMetrics());
  }

  /** The same, counting internal errors and lost attempts in {@code metrics}. */
  RunDriver(
      ProcessorContext<String, byte[]> context,
      RunStores stores,
      PlanCache plans,
      CommitPacing pacing,
      Duration retention,
      SchedulerMetrics metrics) {
    this.context = context;
    this.stores = stores;
    this.plans = plans;
    this.pacer = new CommitPacer(context, pacing);
    this.retention = retention;
    this.leases = AttemptLeases.from(context);
    this.holds = PoolHolds.from(context);
    this.metrics = metrics;
  }

  RunStores stores() {
    return stores;
  }

  /** Tells {@code lifecycle} of every run that ends or is retried, after its outputs are sent. */
  void watch(RunLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  RunLifecycle lifecycle() {
    return lifecycle;
  }

  AttemptLeases leases() {
    return leases;
  }

  PoolHolds holds() {
    return holds;
  }

  SchedulerMetrics metrics() {
    return metrics;
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

  /**
   * Applies {@code event} to its run (null when the run does not exist yet). Throws {@link
   * TransitionFailed}, with nothing written or sent, when computing the transition throws.
   */
  Transition apply(DagPlan plan, RunState run, RunEvent event, long timestamp) {
    String runId = event.runId();
    Map<String, TaskState> before = new HashMap<>();
    Transition t;
    List<Output> outputs;
    try {
      t = RunMachine.apply(plan, run, task -> read(runId, task, before), event);
      outputs = encode(t.commands(), timestamp);
    } catch (RuntimeException e) {
      throw new TransitionFailed(plan, run, event, e);
    }
    if (t.isRejected()) {
      logRejection(event, t.rejection());
    } else {
      stores.runs().put(runId, t.run());
      for (TaskState task : t.changedTasks()) {
        stores.tasks().put(RunStores.taskKey(runId, task.name()), task);
        leases.update(runId, t.run().dag(), before.get(task.name()), task);
      }
      boolean wasFinal = run != null && run.phase().isFinal();
      if (t.run().phase().isFinal() && !wasFinal) {
        stores.expiries().put(DueKeys.of(expiryOf(t.run(), timestamp), runId), runId);
        ConcurrencyGate.finished(stores, t.run());
      }
    }
    holds.follow(event, t);
    outputs.forEach(this::send);
    if (!t.isRejected()) {
      boolean wasFinal = run != null && run.phase().isFinal();
      boolean isFinal = t.run().phase().isFinal();
      if (isFinal && !wasFinal) {
        lifecycle.ended(t.run().dag(), runId, timestamp);
      } else if (wasFinal && !isFinal) {
        lifecycle.reopened(t.run().dag(), runId, timestamp);
      }
    }
    return t;
  }

  /** Reads a task state through {@code before}, which keeps what the store held. */
  private TaskState read(String runId, String task, Map<String, TaskState> before) {
    if (before.containsKey(task)) {
      return before.get(task);
    }
    TaskState t = stores.tasks().get(RunStores.taskKey(runId, task));
    before.put(task, t);
    return t;
  }

  /**
   * Handles an exception thrown while processing {@code record}: counts it, fails the run it was
   * applied to with reason INTERNAL (when the run is known) and dead-letters the record with what
   * failed.
   */
  void internalError(Record<String, byte[]> record, RuntimeException e) {
    String what = internalError(e, record.timestamp());
    deadLetter(record, "INTERNAL: " + what);
  }

  /**
   * Handles an exception thrown outside of a record (a lease expiry): counts it and fails the run
   * it was applied to with reason INTERNAL, when known. Returns what failed, in words.
   */
  String internalError(RuntimeException e, long timestamp) {
    metrics.internalError();
    String what = InternalFailures.describe(e);
    LOG.error("Internal error: {}", what, e instanceof TransitionFailed ? e.getCause() : e);
    if (e instanceof TransitionFailed f && f.run() != null) {
      try {
        failInternal(f.plan(), f.run(), what, timestamp);
      } catch (RuntimeException again) {
        LOG.error("Could not fail run {} as INTERNAL either", f.run().runId(), again);
      }
    }
    return what;
  }

  private void failInternal(DagPlan plan, RunState run, String what, long timestamp) {
    Instant at = Instant.ofEpochMilli(timestamp);
    String runId = run.runId();
    Transition t;
    List<Output> outputs;
    try {
      t =
          RunMachine.failInternal(
              plan, run, task -> read(runId, task, new HashMap<>()), what, at, true);
      outputs = encode(t.commands(), timestamp);
    } catch (RuntimeException e) {
      // Reading the tasks is what fails: fail the run without stopping its attempts.
      t = RunMachine.failInternal(plan, run, task -> null, what, at, false);
      outputs = encode(t.commands(), timestamp);
    }
    if (t.isRejected()) {
      return;
    }
    stores.runs().put(runId, t.run());
    stores.expiries().put(DueKeys.of(expiryOf(t.run(), timestamp), runId), runId);
    outputs.forEach(this::send);
    LOG.warn("Run {} of {} failed: {}", runId, run.dag(), t.run().message());
    if (!run.phase().isFinal()) {
      lifecycle.ended(run.dag(), runId, timestamp);
    }
  }

  /**
   * Fires a due timer. A timer whose processing throws is not dropped: it is put back to fire again
   * after a backoff that doubles with every failure (from 1 s up to 1 min), and counted.
   */
  void fireTimer(Bytes key, StartTimer timer, long now) {
    stores.timers().delete(key);
    RunState run = stores.runs().get(timer.runId());
    if (run == null) {
      return;
    }
    RunEvent.TimerFired fired =
        new RunEvent.TimerFired(
            timer.runId(),
            timer.dag(),
            timer.task(),
            timer.attempt(),
            timer.kind(),
            Instant.ofEpochMilli(now));
    try {
      apply(plan(run.dag(), run.dagVersion()), run, fired, now);
    } catch (RuntimeException e) {
      metrics.internalError();
      metrics.timerRetried();
      long late = now - timer.dueAt().toEpochMilli();
      long backoff = Math.min(TIMER_BACKOFF_MAX_MS, Math.max(TIMER_BACKOFF_MIN_MS, late));
      stores.timers().put(DueKeys.of(timer, now + backoff), timer);
      LOG.error(
          "Could not fire the {} timer of run {} task {} attempt {}; again in {} ms",
          timer.kind(),
          timer.runId(),
          timer.task(),
          timer.attempt(),
          backoff,
          e instanceof TransitionFailed ? e.getCause() : e);
    }
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
          TaskState last = forgetTask(run.runId(), plan.name(i));
          if (last != null && last.fanOut() != null) {
            for (int k = 0; k < last.fanOut().created(); k++) {
              forgetTask(run.runId(), Instances.name(plan.name(i), k));
            }
          }
        }
      }
      stores.runs().delete(run.runId());
      LOG.debug(
          "Run {} of {} finished {}: state released", run.runId(), run.dag(), run.finishedAt());
    }
  }

  private TaskState forgetTask(String runId, String task) {
    TaskState last = stores.tasks().delete(RunStores.taskKey(runId, task));
    if (last != null) {
      leases.forgetTask(runId, last);
    }
    return last;
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

  /** Publishes {@code message} to {@code kontroler.commands}, keyed by its DAG. */
  void send(Inbound message, long timestamp) {
    pacer.urgent();
    context.forward(
        new Record<>(message.dag(), MessageCodec.encode(message), timestamp),
        SchedulerTopology.COMMANDS_SINK);
  }

  /** Sends {@code record} to the dead letters with {@code reason}, keeping where it came from. */
  void deadLetter(Record<String, byte[]> record, String reason) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    String topic = meta == null ? null : meta.topic();
    int partition = meta == null ? -1 : meta.partition();
    long offset = meta == null ? -1 : meta.offset();
    String value =
        record.value() == null
            ? null
            : InternalFailures.truncate(
                new String(record.value(), StandardCharsets.UTF_8), DEAD_LETTER_VALUE_CHARS);
    LOG.warn(
        "Dead letter from {}-{}@{} (key {}): {}", topic, partition, offset, record.key(), reason);
    metrics.deadLettered();
    DeadLetter letter =
        new DeadLetter(
            InternalFailures.truncate(reason, InternalFailures.MESSAGE_CHARS),
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

  /** A command ready to go: a timer to store, or a record for a sink. */
  private record Output(
      StartTimer timer, String sink, Record<String, byte[]> record, boolean urgent) {}

  private static List<Output> encode(List<RunCommand> commands, long timestamp) {
    List<Output> out = new ArrayList<>(commands.size());
    for (RunCommand command : commands) {
      if (command instanceof StartTimer timer) {
        out.add(new Output(timer, null, null, false));
        continue;
      }
      String sink;
      boolean urgent;
      String key = command.dag();
      if (command instanceof RunCommand.SendPool send) {
        // The pool's owner reads it on kontroler.pools, keyed by the pool's name.
        Record<String, byte[]> record =
            new Record<>(send.message().pool(), MessageCodec.encode(send.message()), timestamp);
        out.add(new Output(null, SchedulerTopology.POOLS_SINK, record, true));
        continue;
      }
      if (command instanceof SendInbound send) {
        Record<String, byte[]> record =
            new Record<>(send.request().dag(), MessageCodec.encode(send.request()), timestamp);
        out.add(new Output(null, SchedulerTopology.COMMANDS_SINK, record, true));
        continue;
      }
      if (command instanceof ExecutorCommand) {
        sink = SchedulerTopology.LAUNCHES_SINK;
        urgent = true;
        if (command instanceof LaunchTask launch) {
          key = LaunchKeys.of(launch.runId(), launch.task());
        } else if (command instanceof KillTask kill) {
          key = LaunchKeys.of(kill.runId(), kill.task());
        }
      } else if (command instanceof Notification) {
        sink = SchedulerTopology.RUN_EVENTS_SINK;
        urgent = command instanceof RunPhaseChanged;
      } else {
        throw new IllegalStateException("Expected a known command, but got " + command);
      }
      Record<String, byte[]> record = new Record<>(key, MessageCodec.encode(command), timestamp);
      out.add(new Output(null, sink, record, urgent));
    }
    return out;
  }

  private void send(Output output) {
    if (output.timer() != null) {
      stores.timers().put(DueKeys.of(output.timer()), output.timer());
      return;
    }
    if (output.urgent()) {
      pacer.urgent();
    }
    context.forward(output.record(), output.sink());
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

package io.kontroler.core.run;

import io.kontroler.core.validate.Problem;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link RunMachine} asks the world to do, in the imperative, and the notifications it
 * publishes about every phase change.
 */
public sealed interface RunCommand {
  String runId();

  String dag();

  /** Run attempt {@code attempt} of a task. */
  record LaunchTask(
      String runId,
      String dag,
      int dagVersion,
      String task,
      int attempt,
      ContainerSpec container,
      Instant at)
      implements RunCommand, ExecutorCommand {}

  /** Stop an attempt that is queued or running. */
  record KillTask(String runId, String dag, String task, int attempt, String reason, Instant at)
      implements RunCommand, ExecutorCommand {}

  /** Delete what the run held on to (its workspace claim): the run has ended. */
  record ReleaseRun(String runId, String dag, Instant at) implements RunCommand, ExecutorCommand {}

  /** Fire {@link RunEvent.TimerFired} for this attempt at {@code dueAt}. */
  record StartTimer(
      String runId, String dag, String task, int attempt, TimerKind kind, Instant dueAt)
      implements RunCommand {}

  /**
   * A task changed phase; {@code outputs} are its outputs when {@code to} is Succeeded, else empty.
   * A task that becomes Skipped says why in {@code message}: {@code condition false: …} (its {@code
   * when} was false) or {@code trigger rule <rule> not met: …} (its upstream outcomes).
   */
  record TaskPhaseChanged(
      String runId,
      String dag,
      String task,
      int attempt,
      TaskPhase from,
      TaskPhase to,
      Integer exitCode,
      FailureKind failureKind,
      String message,
      Instant at,
      Map<String, String> outputs)
      implements RunCommand, Notification {
    public TaskPhaseChanged {
      outputs =
          outputs == null || outputs.isEmpty()
              ? Map.of()
              : Collections.unmodifiableMap(new TreeMap<>(outputs));
    }

    public TaskPhaseChanged(
        String runId,
        String dag,
        String task,
        int attempt,
        TaskPhase from,
        TaskPhase to,
        Integer exitCode,
        FailureKind failureKind,
        String message,
        Instant at) {
      this(runId, dag, task, attempt, from, to, exitCode, failureKind, message, at, Map.of());
    }
  }

  /** A run changed phase; {@code counts} are the task counts after the change. */
  record RunPhaseChanged(
      String runId,
      String dag,
      int dagVersion,
      String runName,
      RunPhase from,
      RunPhase to,
      PhaseCounts counts,
      String message,
      Instant at)
      implements RunCommand, Notification {}

  /** A run could not start; {@code problems} say why. */
  record RunRejected(String runId, String dag, String runName, List<Problem> problems, Instant at)
      implements RunCommand, Notification {
    public RunRejected {
      problems = List.copyOf(Objects.requireNonNullElse(problems, List.of()));
    }
  }

  /**
   * Attempt {@code attempt} of the {@code dagRef} task {@code task} of run {@code runId} requested
   * the child run {@code childRunId} of {@code childDag}; published once per attempt, before the
   * child's own events.
   */
  record ChildRunLinked(
      String runId,
      String dag,
      String task,
      int attempt,
      String childRunId,
      String childDag,
      Instant at)
      implements RunCommand, Notification {}

  /**
   * The run was paused ({@code paused}) or resumed by {@code user}: while paused, no new attempt of
   * its tasks starts. Its phase stays what it was (Running).
   */
  record RunPauseChanged(String runId, String dag, boolean paused, String user, Instant at)
      implements RunCommand, Notification {}

  /**
   * The approval task {@code task} was decided: approved or rejected by {@code user} with {@code
   * comment}, or ({@code user} null) not decided before its timeout.
   */
  record TaskApprovalRecorded(
      String runId,
      String dag,
      String task,
      int attempt,
      boolean approved,
      String user,
      String comment,
      Instant at)
      implements RunCommand, Notification {}

  /**
   * The run ({@code task} null) or an attempt of {@code task} was not final {@code seconds} after
   * it started: its SLA ({@code spec.sla}) is missed. Published once per run and task; the run goes
   * on.
   */
  record SlaMissed(String runId, String dag, String task, long seconds, Instant at)
      implements RunCommand, Notification {}

  /**
   * Publish {@code request} to {@code kontroler.commands} (keyed by its DAG): a child run of a
   * {@code dagRef} task, or a cancel of one.
   */
  record SendInbound(String runId, String dag, io.kontroler.core.message.Inbound request)
      implements RunCommand {}

  /**
   * Where backfill {@code backfillId} of {@code dag} stands: of its {@code total} cron slots in
   * [{@code from}, {@code to}], {@code done} have a run that ended, {@code running} a run that is
   * active (or waits under the DAG's {@code maxActiveRuns}), {@code waiting} no run yet. {@code
   * message} says why a backfill was refused (then {@code total} is 0), else null. Published by the
   * DAG's partition on every change; it belongs to no run ({@link #runId()} is null).
   */
  record BackfillProgress(
      String dag,
      String backfillId,
      Instant from,
      Instant to,
      int maxActive,
      int total,
      int done,
      int running,
      int waiting,
      boolean cancelled,
      String message,
      Instant at)
      implements RunCommand, Notification {
    @Override
    public String runId() {
      return null;
    }

    /** True once no slot is left to start and none of its runs is active. */
    public boolean finished() {
      return running == 0 && (waiting == 0 || cancelled);
    }
  }

  /**
   * Attempt {@code attempt} of {@code task} is ready but waits for a slot of shared {@code pool};
   * the task stays Pending until the slot is granted (then Queued as usual).
   */
  record TaskWaitingForPool(
      String runId, String dag, String task, int attempt, String pool, Instant at)
      implements RunCommand, Notification {}

  /**
   * Ask the owner of {@code message}'s pool ({@code kontroler.pools}, keyed by pool name): a slot
   * request, release or renewal for an attempt of this run.
   */
  record SendPool(String runId, String dag, io.kontroler.core.message.PoolMessage message)
      implements RunCommand {}

  /** Commands for executor workers (the task-launches topic). */
  sealed interface ExecutorCommand {}

  /** Notifications of changes (the run-events topic). */
  sealed interface Notification {
    Instant at();
  }
}

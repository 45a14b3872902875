package io.kontroler.core.run;

import io.kontroler.core.dag.ParameterValue;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What happens to a run, in the past tense; the only input of {@link RunMachine}. Every event
 * carries the time it happened, so the machine never reads a clock.
 */
public sealed interface RunEvent {
  String runId();

  /** The DAG's {@code namespace/name}: the key every scheduler record is partitioned by. */
  String dag();

  Instant at();

  /**
   * A run was asked for, with parameter overrides (resolved against the DAG's defaults). {@code
   * logicalDate} is the schedule slot the run stands for (a cron fire time); null for runs that
   * stand for the moment they were requested. {@code parent}: the run whose {@code dagRef} task
   * asked for this child run, or null.
   */
  record RunRequested(
      String runId,
      String dag,
      int dagVersion,
      String runName,
      Map<String, ParameterValue> parameters,
      Instant at,
      Instant logicalDate,
      ParentRun parent)
      implements RunEvent {
    public RunRequested {
      parameters = Map.copyOf(Objects.requireNonNullElse(parameters, Map.of()));
    }

    public RunRequested(
        String runId,
        String dag,
        int dagVersion,
        String runName,
        Map<String, ParameterValue> parameters,
        Instant at,
        Instant logicalDate) {
      this(runId, dag, dagVersion, runName, parameters, at, logicalDate, null);
    }

    public RunRequested(
        String runId,
        String dag,
        int dagVersion,
        String runName,
        Map<String, ParameterValue> parameters,
        Instant at) {
      this(runId, dag, dagVersion, runName, parameters, at, null, null);
    }
  }

  /**
   * An executor took the launch of this attempt (journaled it or created its Job) and holds it now;
   * sent again by an executor that adopts an attempt another executor held. While the attempt is
   * not final, the scheduler fails it as lost when its holder stops heartbeating.
   */
  record TaskAccepted(
      String runId, String dag, String task, int attempt, String executor, Instant at)
      implements RunEvent, TaskOutcome {}

  record TaskStarted(String runId, String dag, String task, int attempt, Instant at)
      implements RunEvent, TaskOutcome {}

  /** An attempt exited 0; {@code outputs} are the values it wrote for its declared outputs. */
  record TaskSucceeded(
      String runId, String dag, String task, int attempt, Instant at, Map<String, String> outputs)
      implements RunEvent, TaskOutcome {
    public TaskSucceeded {
      outputs =
          outputs == null || outputs.isEmpty()
              ? Map.of()
              : Collections.unmodifiableMap(new TreeMap<>(outputs));
    }

    public TaskSucceeded(String runId, String dag, String task, int attempt, Instant at) {
      this(runId, dag, task, attempt, at, Map.of());
    }
  }

  record TaskFailed(
      String runId,
      String dag,
      String task,
      int attempt,
      Integer exitCode,
      FailureKind kind,
      String message,
      Instant at)
      implements RunEvent, TaskOutcome {
    public TaskFailed {
      Objects.requireNonNull(kind, "kind");
    }
  }

  record TimerFired(String runId, String dag, String task, int attempt, TimerKind kind, Instant at)
      implements RunEvent {}

  /**
   * The executor that holds this attempt sent no heartbeat for longer than the lease ({@code
   * leaseMillis}): the attempt is lost. Raised by the scheduler, never read from a topic.
   */
  record LeaseExpired(
      String runId,
      String dag,
      String task,
      int attempt,
      String executor,
      long leaseMillis,
      Instant at)
      implements RunEvent {}

  record CancelRequested(String runId, String dag, String reason, Instant at) implements RunEvent {}

  /** Re-run the failed, skipped and cancelled tasks of a finished run, keeping what succeeded. */
  record RetryRequested(String runId, String dag, Instant at) implements RunEvent {}

  /**
   * Run {@code task} and every task downstream of it again with fresh attempts, in a finished run
   * or a running one.
   */
  record RerunRequested(String runId, String dag, String task, Instant at) implements RunEvent {}

  /**
   * The child run that attempt {@code attempt} of the {@code dagRef} task {@code task} started
   * ended in {@code phase}: the task's outcome.
   */
  record ChildRunEnded(
      String runId,
      String dag,
      String task,
      int attempt,
      String childRunId,
      RunPhase phase,
      String message,
      Instant at)
      implements RunEvent {}

  /**
   * {@code user} asked that no new attempt of the run start until {@link ResumeRequested}; the
   * attempts running go on and their outcomes are recorded.
   */
  record PauseRequested(String runId, String dag, String user, Instant at) implements RunEvent {}

  /** {@code user} asked a paused run to go on: what became ready while it was paused starts. */
  record ResumeRequested(String runId, String dag, String user, Instant at) implements RunEvent {}

  /**
   * {@code user}, who holds {@code roles}, approved ({@code approved}) or rejected the approval
   * task {@code task}; the machine checks that the user or one of the roles is an approver.
   */
  record ApprovalDecided(
      String runId,
      String dag,
      String task,
      String user,
      java.util.List<String> roles,
      boolean approved,
      String comment,
      Instant at)
      implements RunEvent {
    public ApprovalDecided {
      roles = java.util.List.copyOf(Objects.requireNonNullElse(roles, java.util.List.of()));
    }
  }

  /**
   * The owner of shared {@code pool} granted attempt {@code attempt} of {@code task} a slot: the
   * attempt is launched now, or gives the slot back when it no longer waits for it. Read from
   * {@code SlotGranted} on the commands topic.
   */
  record PoolSlotGranted(
      String runId, String dag, String task, int attempt, String pool, Instant at)
      implements RunEvent {}

  /** What an executor reports about one attempt of one task. */
  sealed interface TaskOutcome {
    String task();

    int attempt();
  }
}

package io.kontroler.core.message;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.run.ParentRun;
import io.kontroler.core.run.RunPhase;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Messages that other systems and Kontroler's own components publish to {@code kontroler.commands},
 * keyed by the DAG's {@code namespace/name}.
 */
public sealed interface Inbound {
  String dag();

  /**
   * Start a run of {@code dag} (its latest version). {@code idempotencyKey}: the same key twice
   * starts one run. {@code runName} is optional; {@code requestedAt} defaults to when the scheduler
   * reads the record. {@code parent} is set on a child run requested by a {@code dagRef} task.
   */
  record RunRequested(
      String dag,
      String runName,
      Map<String, ParameterValue> parameters,
      String idempotencyKey,
      Instant requestedAt,
      String trigger,
      ParentRun parent)
      implements Inbound {
    /** {@code trigger} of runs started by the DAG's cron schedule. */
    public static final String SCHEDULE = "schedule";

    /** {@code trigger} of child runs that a parent's {@code dagRef} task started. */
    public static final String SUB_DAG = "dagRef";

    public RunRequested {
      parameters = Map.copyOf(Objects.requireNonNullElse(parameters, Map.of()));
    }

    public RunRequested(
        String dag,
        String runName,
        Map<String, ParameterValue> parameters,
        String idempotencyKey,
        Instant requestedAt,
        String trigger) {
      this(dag, runName, parameters, idempotencyKey, requestedAt, trigger, null);
    }

    public RunRequested(
        String dag,
        String runName,
        Map<String, ParameterValue> parameters,
        String idempotencyKey,
        Instant requestedAt) {
      this(dag, runName, parameters, idempotencyKey, requestedAt, null);
    }
  }

  record CancelRun(String dag, String runId, String reason) implements Inbound {}

  record RetryRun(String dag, String runId) implements Inbound {}

  /**
   * Run {@code task} and every task downstream of it again, with fresh attempts, in a run that has
   * ended (either outcome) or is still running; the run's phase is recomputed when they end.
   */
  record RerunTask(String dag, String runId, String task) implements Inbound {}

  /**
   * The child run {@code childRunId} of {@code childDag}, which attempt {@code attempt} of the
   * {@code dagRef} task {@code task} of run {@code runId} of {@code dag} started, ended in {@code
   * phase} (Succeeded, Failed or Cancelled); sent by the child's partition to the parent's, keyed
   * by the parent's DAG, and the parent task's outcome.
   */
  record ChildRunEnded(
      String dag,
      String runId,
      String task,
      int attempt,
      String childRunId,
      String childDag,
      RunPhase phase,
      String message,
      Instant at)
      implements Inbound {}

  /**
   * Publish {@code spec} as the DAG's next version; decided by the scheduler partition that owns
   * the DAG, which answers with {@link Catalog.DagPublished} carrying the same {@code submissionId}
   * (the version it already is, when the spec equals the latest one).
   */
  record DagSubmitted(
      String dag, DagSpec spec, String submissionId, Instant submittedAt, Integer parts)
      implements Inbound {
    public DagSubmitted(String dag, DagSpec spec, String submissionId, Instant submittedAt) {
      this(dag, spec, submissionId, submittedAt, null);
    }

    /** The number of {@link DagSubmissionPart}s sent before this head; 0 when the spec is whole. */
    public int partCount() {
      return parts == null ? 0 : parts;
    }
  }

  /**
   * Part {@code part} (from 0) of the submission {@code submissionId} of a DAG too large for one
   * record: a slice of its tasks and exit tasks, in order; keyed by the DAG and sent before the
   * {@link DagSubmitted} that names the count (see {@link DagParts}).
   */
  record DagSubmissionPart(
      String dag,
      String submissionId,
      int part,
      java.util.List<io.kontroler.core.dag.TaskSpec> task,
      java.util.List<io.kontroler.core.dag.TaskSpec> onExit)
      implements Inbound {
    public DagSubmissionPart {
      task = java.util.List.copyOf(Objects.requireNonNullElse(task, java.util.List.of()));
      onExit = java.util.List.copyOf(Objects.requireNonNullElse(onExit, java.util.List.of()));
    }
  }

  /**
   * The same for a DagTask; {@code dag} is the routing key {@code dagtask:<namespace>/<name>}, so
   * one partition numbers all versions of a DagTask.
   */
  record DagTaskSubmitted(
      String dag,
      String namespace,
      String name,
      DagTaskSpec spec,
      String submissionId,
      Instant submittedAt)
      implements Inbound {
    public static String key(String namespace, String name) {
      return "dagtask:" + namespace + "/" + name;
    }
  }

  /**
   * Start one run of {@code dag} per cron slot of its schedule in [{@code from}, {@code to}],
   * oldest first, at most {@code maxActive} at once; decided by the DAG's partition. The same
   * {@code backfillId} twice starts nothing twice.
   */
  record BackfillRequested(
      String dag, String backfillId, Instant from, Instant to, int maxActive, Instant requestedAt)
      implements Inbound {}

  /** Stop starting slots of the backfill and cancel its active runs. */
  record CancelBackfill(String dag, String backfillId, String reason) implements Inbound {}

  /** No new task of the run starts until {@link ResumeRun}; running tasks finish. */
  record PauseRun(String dag, String runId, String user) implements Inbound {}

  record ResumeRun(String dag, String runId, String user) implements Inbound {}

  /** {@code user} (with {@code roles}) approves the waiting approval task {@code task}. */
  record ApproveTask(
      String dag,
      String runId,
      String task,
      String user,
      java.util.List<String> roles,
      String comment)
      implements Inbound {}

  record RejectTask(
      String dag,
      String runId,
      String task,
      String user,
      java.util.List<String> roles,
      String comment)
      implements Inbound {}

  /**
   * The pool's owner gives attempt {@code attempt} of {@code task} a slot of {@code pool}, leased
   * until {@code leaseUntil} unless renewed; sent to the holder's DAG partition, which starts the
   * attempt, or gives the slot back at once when the attempt no longer waits for it.
   */
  record SlotGranted(
      String dag,
      String runId,
      String task,
      int attempt,
      String pool,
      Instant grantedAt,
      Instant leaseUntil)
      implements Inbound {}
}

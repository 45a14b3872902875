package io.kontroler.core.message;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.ParameterValue;
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
   * reads the record.
   */
  record RunRequested(
      String dag,
      String runName,
      Map<String, ParameterValue> parameters,
      String idempotencyKey,
      Instant requestedAt,
      String trigger)
      implements Inbound {
    /** {@code trigger} of runs started by the DAG's cron schedule. */
    public static final String SCHEDULE = "schedule";

    public RunRequested {
      parameters = Map.copyOf(Objects.requireNonNullElse(parameters, Map.of()));
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
   * Publish {@code spec} as the DAG's next version; decided by the scheduler partition that owns
   * the DAG, which answers with {@link Catalog.DagPublished} carrying the same {@code submissionId}
   * (the version it already is, when the spec equals the latest one).
   */
  record DagSubmitted(String dag, DagSpec spec, String submissionId, Instant submittedAt)
      implements Inbound {}

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
}

package io.kontroler.core.message;

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
      Instant requestedAt)
      implements Inbound {
    public RunRequested {
      parameters = Map.copyOf(Objects.requireNonNullElse(parameters, Map.of()));
    }
  }

  record CancelRun(String dag, String runId, String reason) implements Inbound {}

  record RetryRun(String dag, String runId) implements Inbound {}
}

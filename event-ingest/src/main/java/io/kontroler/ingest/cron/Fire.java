package io.kontroler.ingest.cron;

import io.kontroler.core.dag.ConcurrencyPolicy;
import java.time.Instant;
import java.util.Objects;

/**
 * One fire of a DAG's schedule.
 *
 * @param dag the DAG's {@code namespace/name}
 * @param policy what to do while an earlier run is active
 * @param startingDeadlineSeconds how late the fire may start, null for no limit
 * @param scheduledAt the time the schedule named (not when the fire happened)
 */
public record Fire(
    String dag, ConcurrencyPolicy policy, Long startingDeadlineSeconds, Instant scheduledAt) {

  public Fire {
    Objects.requireNonNull(dag, "dag");
    policy = Objects.requireNonNullElse(policy, ConcurrencyPolicy.Allow);
    Objects.requireNonNull(scheduledAt, "scheduledAt");
  }

  /** The idempotency key of the run this fire requests: the DAG and its scheduled time. */
  public String idempotencyKey() {
    return dag + "@" + scheduledAt;
  }

  /** The run's name: the DAG's name and the scheduled time in epoch seconds. */
  public String runName() {
    return dag.substring(dag.indexOf('/') + 1) + "-" + scheduledAt.getEpochSecond();
  }
}

package io.kontroler.ingest.cron;

import java.time.Instant;
import java.util.Objects;

/**
 * One fire of a DAG's schedule.
 *
 * @param dag the DAG's {@code namespace/name}
 * @param startingDeadlineSeconds how late the fire may start, null for no limit
 * @param scheduledAt the time the schedule named (not when the fire happened)
 */
public record Fire(String dag, Long startingDeadlineSeconds, Instant scheduledAt) {

  public Fire {
    Objects.requireNonNull(dag, "dag");
    Objects.requireNonNull(scheduledAt, "scheduledAt");
  }

  /**
   * The idempotency key of the run this fire requests: the DAG and its scheduled time, so that
   * every node of a cluster firing the same slot (or a fire recovered after its node died) requests
   * the same run.
   */
  public String idempotencyKey() {
    return dag + "@" + scheduledAt;
  }

  /** The run's name: the DAG's name and the scheduled time in epoch seconds. */
  public String runName() {
    return dag.substring(dag.indexOf('/') + 1) + "-" + scheduledAt.getEpochSecond();
  }
}

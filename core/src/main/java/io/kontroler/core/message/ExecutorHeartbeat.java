package io.kontroler.core.message;

import java.time.Instant;

/**
 * An executor worker is alive. Published every {@code executor.heartbeat.interval.ms} to every
 * partition of {@code kontroler.task-outcomes}, keyed {@code executor:<id>}, so that each scheduler
 * partition knows which executors still hold their attempts.
 */
public record ExecutorHeartbeat(String executor, Instant at) {
  public static final String KEY_PREFIX = "executor:";

  public String key() {
    return KEY_PREFIX + executor;
  }
}

package io.kontroler.core.message;

import java.time.Duration;
import java.util.Map;

/**
 * How long the scheduler keeps a finished run's state, within which it can be retried: one key,
 * {@code scheduler.finished.run.retention.ms} (7 days), read by the scheduler, which releases the
 * state, and by the api, which refuses older retries.
 */
public final class FinishedRuns {
  public static final String RETENTION_KEY = "scheduler.finished.run.retention.ms";
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  private FinishedRuns() {}

  /** The retention that flat configuration {@code c} sets, or the default. */
  public static Duration retention(Map<String, String> c) {
    String value = c.get(RETENTION_KEY);
    return value == null || value.isBlank()
        ? DEFAULT_RETENTION
        : Duration.ofMillis(Long.parseLong(value.trim()));
  }
}

package io.kontroler.core.message;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.MILLIS;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import java.time.Duration;

/**
 * How long the scheduler keeps a finished run's state, within which it can be retried: one key,
 * {@code scheduler.finished.run.retention.ms} (7 days), read by the scheduler, which releases the
 * state, and by the api, which refuses older retries.
 */
public final class FinishedRuns {
  public static final String RETENTION_KEY = "scheduler.finished.run.retention.ms";
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** The key; a component includes {@link #TABLE} with the getter of its retention. */
  public static final ConfigKey<Duration, Duration> RETENTION =
      key(RETENTION_KEY, MILLIS.positive(), String.valueOf(DEFAULT_RETENTION.toMillis()))
          .readFrom((Duration d) -> d)
          .doc(
              "How long the scheduler keeps a finished run's state (7 days), within which it can be retried and late outcomes are recognised; the api refuses older retries with 409 and keeps the history regardless.");

  public static final ConfigTable<Duration> TABLE = ConfigTable.of(RETENTION);

  private FinishedRuns() {}
}

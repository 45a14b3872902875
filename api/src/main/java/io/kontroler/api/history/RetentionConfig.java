package io.kontroler.api.history;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.DURATION;
import static io.kontroler.core.config.ValueType.INT;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import java.time.Duration;
import java.util.Map;

/**
 * How long the history keeps finished runs and how it prunes them (see {@link HistoryRetention}). A
 * retention of zero ({@code PT0S}) keeps runs forever.
 */
public record RetentionConfig(Duration retention, Duration interval, int batchSize) {

  public static final ConfigKey<RetentionConfig, Duration> RETENTION =
      key("api.history.retention", DURATION.notNegative(), "P30D")
          .readFrom(RetentionConfig::retention)
          .doc(
              "How long finished runs stay in the history: older ones are deleted with their attempts, webhook deliveries and logs; PT0S keeps them forever. Runs not finished stay whatever their age.");
  public static final ConfigKey<RetentionConfig, Duration> INTERVAL =
      key("api.history.prune.interval", DURATION.positive(), "PT10M")
          .readFrom(RetentionConfig::interval)
          .doc(
              "How often the history looks for runs past their retention (at once again while a whole batch was found).");
  public static final ConfigKey<RetentionConfig, Integer> BATCH =
      key("api.history.prune.batch", INT.between(1, 10000), "500")
          .readFrom(RetentionConfig::batchSize)
          .doc(
              "Runs deleted in one transaction, so that the history projection never waits long for pruning.");

  /** The retention keys of the api. */
  public static final ConfigTable<RetentionConfig> TABLE =
      ConfigTable.of(RETENTION, INTERVAL, BATCH);

  /** Every key at its default. */
  public static final RetentionConfig DEFAULT = from(TABLE.require(Map.of()));

  /** Whether runs are ever deleted. */
  public boolean enabled() {
    return !retention.isZero();
  }

  /** The keys in {@code v}, read by a table that includes {@link #TABLE}. */
  public static RetentionConfig from(ConfigValues v) {
    return new RetentionConfig(v.get(RETENTION), v.get(INTERVAL), v.get(BATCH));
  }
}

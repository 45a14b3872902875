package io.kontroler.broker;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.TEXT;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How a component reaches Kafka: {@code bootstrapServers} plus client properties passed through
 * unchanged (security, SASL, timeouts…). From configuration they come as {@code kafka.<client
 * property>} keys, e.g. {@code kafka.security.protocol=SASL_SSL}; {@code kafka.bootstrap.servers}
 * gives the servers. {@link #toString()} masks secrets.
 *
 * @param bootstrapServers comma-separated host:port list; required
 * @param properties client properties added to every Kafka client; default none
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> properties) {
  /** The prefix of pass-through client properties in flat configuration. */
  public static final String PREFIX = "kafka.";

  public KafkaSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Expected Kafka bootstrap servers, but got none");
    }
    properties = Map.copyOf(Objects.requireNonNullElse(properties, Map.of()));
  }

  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, Map.of());
  }

  public static final ConfigKey<KafkaSettings, String> BOOTSTRAP_SERVERS =
      key(PREFIX + "bootstrap.servers", TEXT, "localhost:9092")
          .readFrom(KafkaSettings::bootstrapServers)
          .doc("Kafka's bootstrap servers, host:port, comma separated.");

  /** The bootstrap servers and every {@code kafka.*} client property. */
  public static final ConfigTable<KafkaSettings> TABLE =
      ConfigTable.of(BOOTSTRAP_SERVERS)
          .withPassThrough(
              PREFIX,
              "Any Kafka client property, passed to every Kafka client of the component (TLS,"
                  + " SASL, timeouts); secret ones (passwords, JAAS, keys) are masked when shown.",
              KafkaSettings::properties);

  /** The settings in {@code v}, read by a table that includes {@link #TABLE}. */
  public static KafkaSettings from(ConfigValues v) {
    Map<String, String> props = v.under(PREFIX);
    props.remove("bootstrap.servers");
    return new KafkaSettings(v.get(BOOTSTRAP_SERVERS), props);
  }

  /**
   * Reads {@code kafka.*} keys from flat configuration (flags, a file, or environment variables
   * already turned into dotted keys). {@code kafka.bootstrap.servers} wins over {@code
   * defaultBootstrap}.
   */
  public static KafkaSettings fromFlat(Map<String, String> config, String defaultBootstrap) {
    Map<String, String> flat = new HashMap<>(config);
    flat.putIfAbsent(BOOTSTRAP_SERVERS.name(), defaultBootstrap);
    return from(TABLE.require(flat));
  }

  /** A copy with {@code key} set. */
  public KafkaSettings with(String key, String value) {
    Map<String, String> copy = new TreeMap<>(properties);
    copy.put(key, value);
    return new KafkaSettings(bootstrapServers, copy);
  }

  /** Properties for any Kafka client: the pass-through ones plus {@code bootstrap.servers}. */
  public Properties clientProperties() {
    Properties props = new Properties();
    props.putAll(properties);
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }

  @Override
  public String toString() {
    return TABLE.show("KafkaSettings", this);
  }
}

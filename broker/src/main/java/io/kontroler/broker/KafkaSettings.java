package io.kontroler.broker;

import java.util.Locale;
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

  private static final String MASK = "******";

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

  /**
   * Reads {@code kafka.*} keys from flat configuration (flags, a file, or environment variables
   * already turned into dotted keys). {@code kafka.bootstrap.servers} wins over {@code
   * defaultBootstrap}.
   */
  public static KafkaSettings fromFlat(Map<String, String> config, String defaultBootstrap) {
    Map<String, String> props = new TreeMap<>();
    config.forEach(
        (key, value) -> {
          if (key.startsWith(PREFIX) && value != null) {
            props.put(key.substring(PREFIX.length()), value);
          }
        });
    String bootstrap = props.remove("bootstrap.servers");
    return new KafkaSettings(bootstrap != null ? bootstrap : defaultBootstrap, props);
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

  /** True for keys whose values must never be logged. */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("jaas")
        || k.contains("token")
        || k.endsWith(".key")
        || k.contains("credential");
  }

  /** The properties with secret values replaced, safe to log. */
  public Map<String, String> masked() {
    Map<String, String> masked = new TreeMap<>();
    properties.forEach((k, v) -> masked.put(k, isSecret(k) ? MASK : v));
    return masked;
  }

  @Override
  public String toString() {
    return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", properties=" + masked() + "]";
  }
}

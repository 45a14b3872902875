package io.kontroler.cli.standalone;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code kontroler standalone} starts with.
 *
 * @param port the api and UI port (8080; 0 picks a free one)
 * @param dataDir where the broker, state stores, history database and logs live (a restart with the
 *     same folder resumes)
 * @param partitions partitions of Kontroler's topics (3)
 * @param overrides further configuration keys of the components
 * @param kafkaPort the port of the in-process Kafka broker, advertised as {@code localhost:<port>}
 *     ({@value #DEFAULT_KAFKA_PORT} on the command line; 0 picks a free one)
 */
public record StandaloneOptions(
    int port, Path dataDir, int partitions, Map<String, String> overrides, int kafkaPort) {
  /** Kafka's own default port, where producers configured for a local Kafka look. */
  public static final int DEFAULT_KAFKA_PORT = 9092;

  public StandaloneOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    overrides = Map.copyOf(Objects.requireNonNullElse(overrides, Map.of()));
    if (port < 0 || partitions < 1 || kafkaPort < 0 || kafkaPort > 65535) {
      throw new IllegalArgumentException(
          "Expected ports in 0..65535 and partitions >= 1, but got "
              + port
              + ", "
              + kafkaPort
              + " and "
              + partitions);
    }
  }

  /** Options whose Kafka broker listens on a free port: tests, and more than one at a time. */
  public StandaloneOptions(int port, Path dataDir, int partitions, Map<String, String> overrides) {
    this(port, dataDir, partitions, overrides, 0);
  }
}

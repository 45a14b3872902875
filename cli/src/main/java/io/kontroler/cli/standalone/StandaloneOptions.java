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
 */
public record StandaloneOptions(
    int port, Path dataDir, int partitions, Map<String, String> overrides) {
  public StandaloneOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    overrides = Map.copyOf(Objects.requireNonNullElse(overrides, Map.of()));
    if (port < 0 || partitions < 1) {
      throw new IllegalArgumentException(
          "Expected a port >= 0 and partitions >= 1, but got " + port + " and " + partitions);
    }
  }
}

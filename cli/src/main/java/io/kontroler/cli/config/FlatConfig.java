package io.kontroler.cli.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Configuration as flat {@code key=value} pairs, from three sources in rising precedence: a
 * properties file, environment variables ({@code KONTROLER_SCHEDULER_PARTITIONS} is {@code
 * scheduler.partitions}; a double underscore stands for a dash: {@code
 * KONTROLER_TOPICS_TASK__LAUNCHES} is {@code topics.task-launches}), and {@code --set key=value}
 * flags. Each component reads the keys it documents.
 */
public final class FlatConfig {
  private static final String ENV_PREFIX = "KONTROLER_";

  private FlatConfig() {}

  public static Map<String, String> load(
      Path file, Map<String, String> environment, Map<String, String> flags) throws IOException {
    Map<String, String> result = new TreeMap<>();
    if (file != null) {
      Properties props = new Properties();
      try (Reader reader = Files.newBufferedReader(file)) {
        props.load(reader);
      }
      props.forEach((k, v) -> result.put(k.toString(), v.toString()));
    }
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
            result.put(keyOf(name), value);
          }
        });
    result.putAll(flags);
    return result;
  }

  /** The configuration key an environment variable stands for. */
  public static String keyOf(String environmentVariable) {
    String rest = environmentVariable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
    return rest.replace("__", "\u0000").replace('_', '.').replace('\u0000', '-');
  }
}

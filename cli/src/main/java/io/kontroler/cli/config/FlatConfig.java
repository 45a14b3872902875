package io.kontroler.cli.config;

import io.kontroler.core.config.EnvironmentNames;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Configuration as flat {@code key=value} pairs, from three sources in rising precedence: a
 * properties file, {@code KONTROLER_*} environment variables (named as {@link EnvironmentNames}
 * says), and {@code --set key=value} flags. Each component reads the keys of its table.
 */
public final class FlatConfig {
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
    result.putAll(EnvironmentNames.keys(environment));
    result.putAll(flags);
    return result;
  }
}

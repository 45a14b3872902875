package io.kontroler.cli.server;

import io.kontroler.cli.config.FlatConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every server component shares: a configuration file and {@code --set} overrides. */
public final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "A properties file of configuration keys (overridden by KONTROLER_* "
              + "environment variables, which --set overrides).")
  Path file;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Set a configuration key; repeatable.")
  Map<String, String> flags = new LinkedHashMap<>();

  /** The flat configuration from the file, the environment and the flags. */
  public Map<String, String> load() {
    try {
      return FlatConfig.load(file, System.getenv(), flags);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the configuration file " + file, e);
    }
  }
}

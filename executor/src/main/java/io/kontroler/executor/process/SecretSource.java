package io.kontroler.executor.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the process backend finds the value of a secret parameter at launch: the key {@code key} of
 * the secret {@code secret}. Values are never logged.
 */
@FunctionalInterface
public interface SecretSource {

  /** The prefix of the environment variables {@link #environment} reads. */
  String ENV_PREFIX = "KONTROLER_SECRET_";

  Optional<String> resolve(String secret, String key);

  /** Tries this source, then {@code other}. */
  default SecretSource orElse(SecretSource other) {
    return (secret, key) -> {
      Optional<String> value = resolve(secret, key);
      return value.isPresent() ? value : other.resolve(secret, key);
    };
  }

  /**
   * Variables {@code KONTROLER_SECRET_<SECRET>_<KEY>} of {@code env}: secret and key upper-cased,
   * every character other than a letter or digit replaced by {@code _}.
   */
  static SecretSource environment(Map<String, String> env) {
    return (secret, key) -> Optional.ofNullable(env.get(variableName(secret, key)));
  }

  /** Files {@code <dir>/<secret>/<key>}, read as UTF-8, exactly as stored. */
  static SecretSource files(Path dir) {
    return (secret, key) -> {
      if (!isSegment(secret) || !isSegment(key)) {
        return Optional.empty();
      }
      Path file = dir.resolve(secret).resolve(key);
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      try {
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read the secret file of " + secret, e);
      }
    };
  }

  /** The environment variable that holds {@code key} of {@code secret}. */
  static String variableName(String secret, String key) {
    return ENV_PREFIX + normalise(secret) + "_" + normalise(key);
  }

  private static String normalise(String name) {
    return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private static boolean isSegment(String name) {
    return !name.isEmpty()
        && !name.equals(".")
        && !name.equals("..")
        && name.indexOf('/') < 0
        && name.indexOf('\\') < 0;
  }
}

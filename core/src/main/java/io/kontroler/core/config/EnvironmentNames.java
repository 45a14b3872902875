package io.kontroler.core.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a key is named as an environment variable: {@code KONTROLER_} and the key in upper case, a
 * dot as {@code _}, a dash as {@code __} ({@code topics.run-events} is {@code
 * KONTROLER_TOPICS_RUN__EVENTS}).
 */
public final class EnvironmentNames {
  public static final String PREFIX = "KONTROLER_";

  private EnvironmentNames() {}

  /** The environment variable of {@code key}. */
  public static String of(String key) {
    return PREFIX + key.toUpperCase(Locale.ROOT).replace("-", "__").replace('.', '_');
  }

  /** The key an environment variable stands for. */
  public static String keyOf(String variable) {
    String rest = variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    return rest.replace("__", "\u0000").replace('_', '.').replace('\u0000', '-');
  }

  /** The keys that the {@code KONTROLER_*} variables of {@code environment} set. */
  public static Map<String, String> keys(Map<String, String> environment) {
    Map<String, String> flat = new TreeMap<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
            flat.put(keyOf(name), value);
          }
        });
    return flat;
  }
}

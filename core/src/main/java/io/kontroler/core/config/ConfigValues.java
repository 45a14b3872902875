package io.kontroler.core.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * The typed values a {@link ConfigTable} read from flat configuration, and the flat keys themselves
 * for its pass-through prefixes.
 */
public final class ConfigValues {
  private final Map<String, Object> values;
  private final Map<String, String> flat;

  ConfigValues(Map<String, Object> values, Map<String, String> flat) {
    this.values = values;
    this.flat = flat;
  }

  /** The value of {@code key}: as set, else its default; null when it has neither. */
  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<?, T> key) {
    if (!values.containsKey(key.name())) {
      throw new IllegalStateException(key.name() + " is not a key of this table");
    }
    return (T) values.get(key.name());
  }

  /** Every flat key under {@code prefix}, the prefix removed. */
  public Map<String, String> under(String prefix) {
    Map<String, String> found = new TreeMap<>();
    flat.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && v != null) {
            found.put(k.substring(prefix.length()), v);
          }
        });
    return found;
  }
}

package io.kontroler.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The keys of one configuration record {@code R}: reads them from flat configuration (every problem
 * at once), writes a record back as flat keys, and shows it with secrets masked. Pure: a map in,
 * values or problems out; reading files and the environment is the caller's.
 *
 * @param keys the keys, in the order {@code --help} and the README list them
 * @param passThroughs prefixes whose keys pass unchanged to a library (Kafka, Kafka Streams)
 */
public record ConfigTable<R>(List<ConfigKey<R, ?>> keys, List<PassThrough<R>> passThroughs) {

  /** What replaces a secret wherever configuration is shown. */
  public static final String MASK = "******";

  /**
   * Keys under a prefix that pass to a library as they are.
   *
   * @param prefix e.g. {@code kafka.}
   * @param doc what they are for
   * @param getter the record's pass-through properties, prefix removed
   */
  public record PassThrough<R>(
      String prefix, String doc, Function<R, Map<String, String>> getter) {}

  /** The outcome of {@link #read}: values, unusable when {@code problems} is not empty. */
  public record Read(ConfigValues values, List<String> problems) {}

  public ConfigTable {
    keys = List.copyOf(keys);
    passThroughs = List.copyOf(passThroughs);
    Map<String, ConfigKey<R, ?>> seen = new HashMap<>();
    for (ConfigKey<R, ?> key : keys) {
      if (key.doc().isBlank()) {
        throw new IllegalArgumentException("Expected a doc for " + key.name() + ", but none");
      }
      if (seen.put(key.name(), key) != null) {
        throw new IllegalArgumentException("Expected each key once, but " + key.name() + " twice");
      }
    }
  }

  @SafeVarargs
  public static <R> ConfigTable<R> of(ConfigKey<R, ?>... keys) {
    return new ConfigTable<>(List.of(keys), List.of());
  }

  /** This table and the keys of {@code part}, which {@code of} takes from this table's record. */
  public <P> ConfigTable<R> with(ConfigTable<P> part, Function<R, P> of) {
    List<ConfigKey<R, ?>> all = new ArrayList<>(keys);
    part.keys.forEach(k -> all.add(k.of(of)));
    List<PassThrough<R>> prefixes = new ArrayList<>(passThroughs);
    part.passThroughs.forEach(
        p ->
            prefixes.add(
                new PassThrough<>(
                    p.prefix(),
                    p.doc(),
                    r -> {
                      P value = of.apply(r);
                      return value == null ? Map.of() : p.getter().apply(value);
                    })));
    return new ConfigTable<>(all, prefixes);
  }

  /** This table and keys under {@code prefix} passed through to a library. */
  public ConfigTable<R> withPassThrough(
      String prefix, String doc, Function<R, Map<String, String>> getter) {
    List<PassThrough<R>> prefixes = new ArrayList<>(passThroughs);
    prefixes.add(new PassThrough<>(prefix, doc, getter));
    return new ConfigTable<>(keys, prefixes);
  }

  /** Every key's value from {@code flat}, and every problem found, each naming its key. */
  public Read read(Map<String, String> flat) {
    Map<String, Object> values = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (ConfigKey<R, ?> key : keys) {
      try {
        values.put(key.name(), key.read(flat));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return new Read(new ConfigValues(values, Map.copyOf(withoutNulls(flat))), problems);
  }

  /**
   * The values of {@code flat}.
   *
   * @throws ConfigException listing every problem
   */
  public ConfigValues require(Map<String, String> flat) {
    Read read = read(flat);
    if (!read.problems().isEmpty()) {
      throw new ConfigException(read.problems());
    }
    return read.values();
  }

  /** {@code config} as flat keys, secrets included: to copy it, never to show it. */
  public Map<String, String> flat(R config) {
    Map<String, String> flat = new TreeMap<>();
    for (PassThrough<R> p : passThroughs) {
      p.getter().apply(config).forEach((k, v) -> flat.put(p.prefix() + k, v));
    }
    for (ConfigKey<R, ?> key : keys) {
      String text = key.text(config);
      if (text != null) {
        flat.put(key.name(), text);
      }
    }
    return flat;
  }

  /** The flat keys of {@code config} with {@code overrides} on top. */
  public Map<String, String> merged(R config, Map<String, String> overrides) {
    Map<String, String> flat = flat(config);
    flat.putAll(overrides);
    return flat;
  }

  /** {@code config} as flat keys, safe to show: secrets and passwords in URLs masked. */
  public Map<String, String> masked(R config) {
    Map<String, String> shown = new TreeMap<>();
    for (PassThrough<R> p : passThroughs) {
      p.getter()
          .apply(config)
          .forEach((k, v) -> shown.put(p.prefix() + k, isSecretName(k) ? MASK : maskUrl(v)));
    }
    for (ConfigKey<R, ?> key : keys) {
      String text = key.text(config);
      if (text != null) {
        shown.put(key.name(), key.secret() ? MASK : maskUrl(text));
      }
    }
    return shown;
  }

  /** {@code name} and the masked keys of {@code config}: what a {@code toString} shows. */
  public String show(String name, R config) {
    return name + masked(config);
  }

  /** True for pass-through properties whose values must never be shown (SASL, TLS, tokens). */
  public static boolean isSecretName(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("jaas")
        || k.contains("token")
        || k.endsWith(".key")
        || k.contains("credential");
  }

  /** The text without the value of a {@code password=} parameter (a JDBC URL's, say). */
  public static String maskUrl(String text) {
    return text.replaceAll("(?i)(password=)[^&;]*", "$1" + MASK);
  }

  private static Map<String, String> withoutNulls(Map<String, String> flat) {
    Map<String, String> copy = new LinkedHashMap<>();
    flat.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            copy.put(k, v);
          }
        });
    return copy;
  }
}

package io.kontroler.core.config;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key, described once: {@code --help}, the README's tables, parsing, validation
 * and masking all come from this.
 *
 * @param name the flat key, e.g. {@code api.port}; its environment variable follows from it ({@link
 *     EnvironmentNames})
 * @param type how its text becomes a value
 * @param defaultValue the text taken when the key is absent or blank; null: no value (the component
 *     then has none, or computes one, as {@code shownDefault} says)
 * @param shownDefault the default as {@code --help} and the README show it
 * @param doc what it does, one or two sentences
 * @param secret never printed: masked wherever configuration is shown
 * @param getter reads the key's value back from the configuration record {@code R}
 */
public record ConfigKey<R, T>(
    String name,
    ValueType<T> type,
    String defaultValue,
    String shownDefault,
    String doc,
    boolean secret,
    Function<R, T> getter) {

  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(shownDefault, "shownDefault");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(getter, "getter");
  }

  /**
   * A key whose default is {@code defaultValue} (null: none), to be given the record it is read
   * from ({@link #readFrom}) and its {@link #doc}.
   */
  public static <T> ConfigKey<Object, T> key(String name, ValueType<T> type, String defaultValue) {
    return new ConfigKey<>(
        name,
        type,
        defaultValue,
        defaultValue == null ? "none" : defaultValue,
        "",
        false,
        r -> {
          throw new IllegalStateException(name + " has no record to read from");
        });
  }

  /** The same key, its value read from a record {@code S} by {@code getter}. */
  public <S> ConfigKey<S, T> readFrom(Function<S, T> getter) {
    return new ConfigKey<>(name, type, defaultValue, shownDefault, doc, secret, getter);
  }

  /** The same key, documented by {@code text}. */
  public ConfigKey<R, T> doc(String text) {
    return new ConfigKey<>(name, type, defaultValue, shownDefault, text, secret, getter);
  }

  /** The same key, never printed. */
  public ConfigKey<R, T> masked() {
    return new ConfigKey<>(name, type, defaultValue, shownDefault, doc, true, getter);
  }

  /** The same key, its default shown as {@code text} (a default computed at start, say). */
  public ConfigKey<R, T> shownAs(String text) {
    return new ConfigKey<>(name, type, defaultValue, text, doc, secret, getter);
  }

  /** The same key read from the part {@code of} of a larger record {@code P}. */
  public <P> ConfigKey<P, T> of(Function<P, R> part) {
    return new ConfigKey<>(
        name,
        type,
        defaultValue,
        shownDefault,
        doc,
        secret,
        p -> {
          R r = part.apply(p);
          return r == null ? null : getter.apply(r);
        });
  }

  /**
   * The value {@code flat} sets, its default when absent or blank, null when it has none.
   *
   * @throws IllegalArgumentException naming this key when the text does not parse
   */
  public T read(Map<String, String> flat) {
    String text = flat.get(name);
    if (text == null || (type.blankIsAbsent() && text.isBlank())) {
      text = defaultValue;
    }
    if (text == null) {
      return null;
    }
    try {
      return type.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /** The flat key that sets this key to {@code value}: for copies, {@code config.with(...)}. */
  public Map<String, String> set(T value) {
    return Map.of(name, type.format(value));
  }

  /** The value of this key in {@code config} as text, null when it has none. */
  public String text(R config) {
    T value = getter.apply(config);
    return value == null ? null : type.format(value);
  }
}

package io.kontroler.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How the text of a configuration key becomes a value and back. A parser throws {@link
 * IllegalArgumentException} with an "Expected …, but got …" message; {@link ConfigKey} prefixes it
 * with the key's name.
 *
 * @param name what the value is, as {@code --help} and the README say it
 * @param parser text to value; the text is never blank
 * @param formatter value to text, so that the text parses to the same value
 * @param blankIsAbsent whether a blank value stands for "not set" (every type but {@link
 *     #TEXT_OR_EMPTY})
 */
public record ValueType<T>(
    String name, Function<String, T> parser, Function<T, String> formatter, boolean blankIsAbsent) {

  public ValueType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parser, "parser");
    Objects.requireNonNull(formatter, "formatter");
  }

  /** Text as given, untrimmed. */
  public static final ValueType<String> TEXT = of("text", s -> s, s -> s);

  /** Text without the white space around it. */
  public static final ValueType<String> TRIMMED = of("text", String::trim, s -> s);

  /** Text where an empty value means something (e.g. "off"), not "take the default". */
  public static final ValueType<String> TEXT_OR_EMPTY =
      new ValueType<>("text", s -> s, s -> s, false);

  public static final ValueType<Integer> INT =
      of("integer", s -> number(s, Integer::parseInt, "an integer"), String::valueOf);

  public static final ValueType<Long> LONG =
      of("integer", s -> number(s, Long::parseLong, "an integer"), String::valueOf);

  public static final ValueType<Short> SHORT =
      of("integer", s -> number(s, Short::parseShort, "a small integer"), String::valueOf);

  /** {@code true} or {@code false}, in any case. */
  public static final ValueType<Boolean> BOOL = of("boolean", ValueType::bool, String::valueOf);

  /** An ISO-8601 duration such as {@code PT15S}. */
  public static final ValueType<Duration> DURATION =
      of("duration", ValueType::isoDuration, Duration::toString);

  /** Whole milliseconds. */
  public static final ValueType<Duration> MILLIS =
      of(
          "milliseconds",
          s -> Duration.ofMillis(number(s, Long::parseLong, "milliseconds")),
          d -> String.valueOf(d.toMillis()));

  /** Whole seconds. */
  public static final ValueType<Duration> SECONDS =
      of(
          "seconds",
          s -> Duration.ofSeconds(number(s, Long::parseLong, "seconds")),
          d -> String.valueOf(d.toSeconds()));

  /** Comma-separated, each entry trimmed, empty entries dropped. */
  public static final ValueType<List<String>> LIST =
      new ValueType<>(
          "list",
          s -> Arrays.stream(s.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList(),
          l -> String.join(",", l),
          true);

  public static final ValueType<URI> URL = of("URL", ValueType::uri, URI::toString);

  /** A type whose blank value means "not set". */
  public static <T> ValueType<T> of(
      String name, Function<String, T> parser, Function<T, String> formatter) {
    return new ValueType<>(name, parser, formatter, true);
  }

  /** One of {@code type}'s constants, by name in any case; shown in lower case. */
  public static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
    List<String> names =
        Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    return of(
        String.join(" | ", names),
        s -> {
          for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.trim())) {
              return e;
            }
          }
          throw new IllegalArgumentException(
              "Expected one of " + names + ", but got '" + s.trim() + "'");
        },
        e -> e.name().toLowerCase(Locale.ROOT));
  }

  /** One of {@code values}, as written. */
  public static ValueType<String> choice(String... values) {
    List<String> allowed = List.of(values);
    return of(String.join(" | ", allowed), s -> s.trim(), s -> s)
        .where(allowed::contains, String.join(" or ", allowed));
  }

  /** The same type, refusing values that fail {@code test}; {@code expected} says what passes. */
  public ValueType<T> where(Predicate<T> test, String expected) {
    return new ValueType<>(
        name,
        s -> {
          T value = parser.apply(s);
          if (!test.test(value)) {
            throw new IllegalArgumentException(
                "Expected " + expected + ", but got '" + s.trim() + "'");
          }
          return value;
        },
        formatter,
        blankIsAbsent);
  }

  /** Numbers of at least {@code min}. */
  public ValueType<T> atLeast(long min) {
    return where(v -> ((Number) v).longValue() >= min, "a number >= " + min);
  }

  /** Numbers from {@code min} to {@code max}. */
  public ValueType<T> between(long min, long max) {
    return where(
        v -> ((Number) v).longValue() >= min && ((Number) v).longValue() <= max,
        "a number in " + min + ".." + max);
  }

  /** Durations greater than zero. */
  public ValueType<T> positive() {
    return where(
        v -> !(v instanceof Duration d) || (!d.isNegative() && !d.isZero()), "a positive " + name);
  }

  /** Durations of zero or more. */
  public ValueType<T> notNegative() {
    return where(v -> !(v instanceof Duration d) || !d.isNegative(), "a non-negative " + name);
  }

  public T parse(String text) {
    return parser.apply(text);
  }

  public String format(T value) {
    return formatter.apply(value);
  }

  private static <N> N number(String s, Function<String, N> parse, String what) {
    try {
      return parse.apply(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Expected " + what + ", but got '" + s.trim() + "'");
    }
  }

  private static boolean bool(String s) {
    String v = s.trim();
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("Expected true or false, but got '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  private static Duration isoDuration(String s) {
    try {
      return Duration.parse(s.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Expected an ISO-8601 duration such as PT15S, but got '" + s.trim() + "'");
    }
  }

  private static URI uri(String s) {
    try {
      return URI.create(s.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Expected a URL, but got '" + s.trim() + "'");
    }
  }
}

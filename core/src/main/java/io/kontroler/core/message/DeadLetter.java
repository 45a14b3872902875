package io.kontroler.core.message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A record that could not be processed, as published on {@code kontroler.dead-letters}. What it
 * copies is cut to a bounded size, so that a dead letter always fits on its topic: when anything
 * was cut, {@code truncated} is true and {@code originalValueBytes} is the size of the whole value.
 */
public record DeadLetter(
    String reason,
    String sourceTopic,
    int partition,
    long offset,
    String key,
    String value,
    Instant at,
    Integer originalValueBytes,
    Boolean truncated) {

  /** The most characters of the record's value a dead letter copies. */
  public static final int MAX_VALUE_CHARS = 64 * 1024;

  /** The most characters of the reason and of the record's key a dead letter copies. */
  public static final int MAX_TEXT_CHARS = 4 * 1024;

  /** A dead letter of the given record, with what it copies cut to size. */
  public DeadLetter(
      String reason,
      String sourceTopic,
      int partition,
      long offset,
      String key,
      String value,
      Instant at) {
    this(
        cut(reason, MAX_TEXT_CHARS),
        sourceTopic,
        partition,
        offset,
        cut(key, MAX_TEXT_CHARS),
        cut(value, MAX_VALUE_CHARS),
        at,
        isCut(reason, key, value) ? utf8Length(value) : null,
        isCut(reason, key, value) ? Boolean.TRUE : null);
  }

  private static boolean isCut(String reason, String key, String value) {
    return longer(reason, MAX_TEXT_CHARS)
        || longer(key, MAX_TEXT_CHARS)
        || longer(value, MAX_VALUE_CHARS);
  }

  private static boolean longer(String text, int max) {
    return text != null && text.length() > max;
  }

  private static String cut(String text, int max) {
    if (!longer(text, max)) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end);
  }

  private static Integer utf8Length(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8).length;
  }
}

package io.kontroler.core.message;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Instants as every message and store value writes them ({@link Instant#toString()}: {@code
 * 2026-11-22T10:15:30.123Z}), read without a {@code DateTimeFormatter}: a scheduler reads several
 * with every task state, and the formatter's general parsing was a seventh of its thread's time.
 * Anything else (an offset, a year past 9999, a leap second) is left to the Java time module.
 */
public final class IsoInstants {
  private static final int SHORTEST = "0000-00-00T00:00:00Z".length();

  private IsoInstants() {}

  /** The instant {@code text} writes in {@link Instant#toString()}'s form, or null. */
  public static Instant parse(String text) {
    int n = text.length();
    if (n < SHORTEST
        || text.charAt(n - 1) != 'Z'
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    if (Math.min(Math.min(year, month), Math.min(day, Math.min(hour, Math.min(minute, second)))) < 0
        || hour > 23
        || minute > 59
        || second > 59) {
      return null;
    }
    int nanos = 0;
    if (n > SHORTEST) {
      int fraction = n - SHORTEST - 1;
      if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      nanos = digits(text, 20, 20 + fraction);
      if (nanos < 0) {
        return null;
      }
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    }
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** Reads instants with {@link #parse}, leaving what it does not read to the Java time module. */
  static final class Deserializer extends StdScalarDeserializer<Instant> {
    Deserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      if (p.hasToken(JsonToken.VALUE_STRING)) {
        Instant instant = parse(p.getText());
        if (instant != null) {
          return instant;
        }
      }
      return InstantDeserializer.INSTANT.deserialize(p, ctx);
    }
  }
}

package io.kontroler.core.message;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Instants as every message and store value writes them ({@link Instant#toString()}: {@code
 * 2026-11-22T10:15:30.123Z}), read and written without a {@code DateTimeFormatter}: a scheduler
 * reads and writes several with every task state, and the formatter's general parsing was a seventh
 * of its thread's time, its printing a twentieth. Anything else (an offset, a year before 0000 or
 * past 9999, a leap second) is left to the Java time module.
 */
public final class IsoInstants {
  private static final int SHORTEST = "0000-00-00T00:00:00Z".length();
  private static final long FIRST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400L;
  private static final long LAST_SECOND =
      LocalDate.of(9999, 12, 31).toEpochDay() * 86_400L + 86_399;

  /** The divisor that leaves {@code width} fraction digits of a nanosecond count. */
  private static final int[] DROPPED = {0, 0, 0, 1_000_000, 0, 0, 1000, 0, 0, 1};

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

  /**
   * {@code instant} as {@link Instant#toString()} writes it, for years 0000 to 9999: the fraction
   * in groups of three digits, none when it is zero.
   */
  public static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
      return instant.toString();
    }
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    LocalDate date = LocalDate.ofEpochDay(days);
    int nanos = instant.getNano();
    int width = nanos == 0 ? 0 : fractionDigits(nanos);
    char[] out = new char[SHORTEST + (width == 0 ? 0 : 1 + width)];
    put(out, 0, date.getYear(), 4);
    out[4] = '-';
    put(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    put(out, 8, date.getDayOfMonth(), 2);
    out[10] = 'T';
    put(out, 11, secondOfDay / 3_600, 2);
    out[13] = ':';
    put(out, 14, secondOfDay / 60 % 60, 2);
    out[16] = ':';
    put(out, 17, secondOfDay % 60, 2);
    if (width != 0) {
      out[19] = '.';
      put(out, 20, nanos / DROPPED[width], width);
    }
    out[out.length - 1] = 'Z';
    return new String(out);
  }

  /** How many fraction digits {@link Instant#toString()} writes for {@code nanos} (not zero). */
  private static int fractionDigits(int nanos) {
    if (nanos % 1_000_000 == 0) {
      return 3;
    }
    return nanos % 1000 == 0 ? 6 : 9;
  }

  /** Writes {@code value} as {@code width} decimal digits at {@code at}, zero-padded. */
  private static void put(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
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

  /** Writes instants with {@link #format}. */
  static final class Serializer extends StdScalarSerializer<Instant> {
    Serializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(format(value));
    }
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

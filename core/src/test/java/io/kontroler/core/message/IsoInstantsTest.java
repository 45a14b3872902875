package io.kontroler.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
  private static final ObjectMapper MAPPER = MessageCodec.mapper();

  @Test
  void readsWhatInstantWritesAsInstantParseDoes() {
    Random random = new Random(17);
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong(-62_135_596_800L, 253_402_300_799L);
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      String text = instant.toString();

      assertThat(IsoInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void writesWhatInstantToStringWrites() {
    Random random = new Random(29);
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong(-62_167_219_200L - 86_400L, 253_402_300_800L + 86_400L);
      int nanos =
          switch (i % 5) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            case 3 -> random.nextInt(1000);
            default -> random.nextInt(1_000_000_000);
          };
      Instant instant = Instant.ofEpochSecond(seconds, nanos);

      assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
    }
    for (Instant edge :
        List.of(
            Instant.EPOCH,
            Instant.ofEpochSecond(-1, 999_999_999),
            Instant.parse("0000-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.parse("-0001-12-31T23:59:59Z"),
            Instant.MIN,
            Instant.MAX)) {
      assertThat(IsoInstants.format(edge)).isEqualTo(edge.toString());
    }
  }

  @Test
  void messagesWriteInstantsAsInstantToStringDoes() throws Exception {
    Instant at = Instant.parse("2026-11-22T10:15:30.120Z");

    assertThat(MAPPER.writeValueAsString(at)).isEqualTo("\"2026-11-22T10:15:30.120Z\"");
  }

  @Test
  void readsAnyNumberOfFractionDigits() {
    for (String text :
        List.of(
            "2026-11-22T10:15:30.1Z",
            "2026-11-22T10:15:30.12Z",
            "2026-11-22T10:15:30.1234Z",
            "2026-11-22T10:15:30.000000001Z",
            "2024-02-29T23:59:59.999999999Z")) {
      assertThat(IsoInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void leavesEveryOtherFormToTheJavaTimeModule() throws Exception {
    for (String text :
        List.of(
            "2026-11-22T10:15:30+01:00",
            "2026-11-22T10:15:60Z",
            "2026-02-30T10:15:30Z",
            "2026-11-22T24:00:00Z",
            "2026-11-22T10:15:30.Z",
            "2026-11-22T10:15:30.1234567890Z",
            "+12026-11-22T10:15:30Z",
            "2026-11-22 10:15:30Z",
            "2026-1a-22T10:15:30Z",
            "")) {
      assertThat(IsoInstants.parse(text)).as(text).isNull();
    }
    assertThat(MAPPER.readValue("\"2026-11-22T11:15:30+01:00\"", Instant.class))
        .isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
    assertThat(MAPPER.readValue("1764000000.5", Instant.class))
        .isEqualTo(Instant.ofEpochSecond(1_764_000_000L, 500_000_000));
    assertThat(MAPPER.readValue("\"2026-11-22T10:15:30.25Z\"", Instant.class))
        .isEqualTo(Instant.parse("2026-11-22T10:15:30.25Z"));
  }
}

package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronSlotsTest {
  private static final Instant OCT_1 = Instant.parse("2026-10-01T00:00:00Z");

  @Test
  void thirtyDailySlotsBothEndsIncludedOldestFirst() {
    Validated<List<Instant>> slots =
        CronSlots.between("0 0 * * *", null, OCT_1, Instant.parse("2026-10-30T00:00:00Z"), 100);

    assertThat(slots.problems()).isEmpty();
    assertThat(slots.value())
        .hasSize(30)
        .startsWith(OCT_1)
        .endsWith(Instant.parse("2026-10-30T00:00:00Z"))
        .isSorted();
  }

  @Test
  void slotsFollowTheScheduleTimeZone() {
    Validated<List<Instant>> slots =
        CronSlots.between(
            "0 2 * * *", "Europe/Paris", OCT_1, Instant.parse("2026-10-02T23:59:59Z"), 100);

    assertThat(slots.value())
        .containsExactly(
            Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z"));
  }

  @Test
  void bothRestrictedDayFieldsFireOnTheUnionOnce() {
    // The 1st of the month or a Monday: Oct 1 (Thursday), Oct 5, Oct 12.
    Validated<List<Instant>> slots =
        CronSlots.between("0 0 1 * 1", null, OCT_1, Instant.parse("2026-10-12T00:00:00Z"), 100);

    assertThat(slots.value())
        .containsExactly(
            OCT_1, Instant.parse("2026-10-05T00:00:00Z"), Instant.parse("2026-10-12T00:00:00Z"));
  }

  @Test
  void moreSlotsThanTheLimitIsAProblemNamingTheSetting() {
    Validated<List<Instant>> slots =
        CronSlots.between("0 * * * *", null, OCT_1, Instant.parse("2026-10-02T00:00:00Z"), 10);

    assertThat(slots.ok()).isFalse();
    assertThat(slots.problems().get(0).message())
        .contains("expected at most 10 cron slots")
        .contains("scheduler.max.backfill.slots");
  }

  @Test
  void aDagWithoutScheduleOrABackwardRangeIsAProblem() {
    assertThat(CronSlots.between("", null, OCT_1, OCT_1, 10).problems())
        .extracting(Problem::toString)
        .containsExactly("schedule: expected a DAG with a schedule, but it has none");
    assertThat(CronSlots.between("@daily", null, OCT_1, OCT_1.minusSeconds(1), 10).ok()).isFalse();
  }
}

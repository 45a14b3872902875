package io.kontroler.ingest.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quartz.CronTrigger;
import org.quartz.spi.OperableTrigger;

/**
 * The instants the Quartz triggers of a schedule fire at, against the fire times of Unix cron
 * (Vixie cron / cronie), written out by hand from the calendar: both day fields set (either
 * matches), day-of-week ranges that reach Saturday and Sunday, the {@code @} macros, and time zones
 * across a daylight-saving change. The times come from the triggers the schedule is given, as
 * Quartz asks them.
 */
class CronFireTimesTest {

  @ParameterizedTest(name = "{0} in {1} after {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // both day fields: the 13th OR a Friday (2027-02-01 is a Monday, the 13th a Saturday)
        "30 4 13 * 5 | UTC | 2027-02-01T00:00:00Z | 2027-02-05T04:30:00Z 2027-02-12T04:30:00Z"
            + " 2027-02-13T04:30:00Z 2027-02-19T04:30:00Z 2027-02-26T04:30:00Z"
            + " 2027-03-05T04:30:00Z 2027-03-12T04:30:00Z 2027-03-13T04:30:00Z",
        // the 1st OR a Monday; 2027-03-01 is both and fires once
        "0 12 1 * MON | UTC | 2027-02-20T00:00:00Z | 2027-02-22T12:00:00Z 2027-03-01T12:00:00Z"
            + " 2027-03-08T12:00:00Z 2027-03-15T12:00:00Z",
        // '?' stands for '*': only the day of week counts
        "0 12 ? * 1 | UTC | 2027-02-20T00:00:00Z | 2027-02-22T12:00:00Z 2027-03-01T12:00:00Z",
        // one day field '*': only the other counts (AND with every day)
        "0 12 1 * * | UTC | 2027-02-20T00:00:00Z | 2027-03-01T12:00:00Z 2027-04-01T12:00:00Z",
        // ranges that reach Saturday and Sunday (7 and 0 are both Sunday)
        "0 9 * * 5-7 | UTC | 2027-02-01T00:00:00Z | 2027-02-05T09:00:00Z 2027-02-06T09:00:00Z"
            + " 2027-02-07T09:00:00Z 2027-02-12T09:00:00Z 2027-02-13T09:00:00Z"
            + " 2027-02-14T09:00:00Z",
        "0 9 * * 4-6 | UTC | 2027-02-01T00:00:00Z | 2027-02-04T09:00:00Z 2027-02-05T09:00:00Z"
            + " 2027-02-06T09:00:00Z 2027-02-11T09:00:00Z",
        "0 9 * * 6,0 | UTC | 2027-02-01T00:00:00Z | 2027-02-06T09:00:00Z 2027-02-07T09:00:00Z"
            + " 2027-02-13T09:00:00Z 2027-02-14T09:00:00Z",
        "0 9 * * 6-7 | UTC | 2027-02-01T00:00:00Z | 2027-02-06T09:00:00Z 2027-02-07T09:00:00Z"
            + " 2027-02-13T09:00:00Z",
        "0 9 * * FRI,SAT,SUN | UTC | 2027-02-01T00:00:00Z | 2027-02-05T09:00:00Z"
            + " 2027-02-06T09:00:00Z 2027-02-07T09:00:00Z 2027-02-12T09:00:00Z",
        "0 9 * * */2 | UTC | 2027-02-01T00:00:00Z | 2027-02-02T09:00:00Z 2027-02-04T09:00:00Z"
            + " 2027-02-06T09:00:00Z 2027-02-07T09:00:00Z 2027-02-09T09:00:00Z",
        "0 9 * * 1-5/2 | UTC | 2027-02-01T00:00:00Z | 2027-02-01T09:00:00Z 2027-02-03T09:00:00Z"
            + " 2027-02-05T09:00:00Z 2027-02-08T09:00:00Z",
        // macros (2027-01-01 is a Friday, 2027-01-03 a Sunday)
        "@hourly | UTC | 2027-01-01T00:00:00Z | 2027-01-01T01:00:00Z 2027-01-01T02:00:00Z",
        "@daily | UTC | 2027-01-01T00:00:00Z | 2027-01-02T00:00:00Z 2027-01-03T00:00:00Z",
        "@midnight | UTC | 2027-01-01T00:00:00Z | 2027-01-02T00:00:00Z 2027-01-03T00:00:00Z",
        "@weekly | UTC | 2027-01-01T00:00:00Z | 2027-01-03T00:00:00Z 2027-01-10T00:00:00Z",
        "@monthly | UTC | 2027-01-01T00:00:00Z | 2027-02-01T00:00:00Z 2027-03-01T00:00:00Z",
        "@yearly | UTC | 2027-01-01T00:00:00Z | 2028-01-01T00:00:00Z 2029-01-01T00:00:00Z",
        "@annually | UTC | 2027-01-01T00:00:00Z | 2028-01-01T00:00:00Z",
        "@daily | Europe/Berlin | 2027-01-01T00:00:00Z | 2027-01-01T23:00:00Z"
            + " 2027-01-02T23:00:00Z",
        // a seconds field first
        "*/20 0 9 * * * | UTC | 2027-01-01T00:00:00Z | 2027-01-01T09:00:00Z 2027-01-01T09:00:20Z"
            + " 2027-01-01T09:00:40Z 2027-01-02T09:00:00Z",
        // time zones across daylight saving: New York springs forward on 2027-03-14, falls back on
        // 2027-11-07; Berlin on 2027-03-28 and 2027-10-31
        "0 9 * * * | America/New_York | 2027-03-12T12:00:00Z | 2027-03-12T14:00:00Z"
            + " 2027-03-13T14:00:00Z 2027-03-14T13:00:00Z 2027-03-15T13:00:00Z",
        "0 9 * * * | America/New_York | 2027-11-05T12:00:00Z | 2027-11-05T13:00:00Z"
            + " 2027-11-06T13:00:00Z 2027-11-07T14:00:00Z 2027-11-08T14:00:00Z",
        "0 9 * * 0 | America/New_York | 2027-03-01T00:00:00Z | 2027-03-07T14:00:00Z"
            + " 2027-03-14T13:00:00Z 2027-03-21T13:00:00Z",
        "0 * * * * | Europe/Berlin | 2027-03-27T23:30:00Z | 2027-03-28T00:00:00Z"
            + " 2027-03-28T01:00:00Z 2027-03-28T02:00:00Z",
        "30 3 * * * | Europe/Berlin | 2027-03-27T00:00:00Z | 2027-03-27T02:30:00Z"
            + " 2027-03-28T01:30:00Z 2027-03-29T01:30:00Z",
        "30 1 * * * | Europe/Berlin | 2027-10-30T00:00:00Z | 2027-10-30T23:30:00Z"
            + " 2027-11-01T00:30:00Z 2027-11-02T00:30:00Z",
        // the hour 02:00-03:00 passes twice on 2027-10-31: an hourly schedule fires in both passes,
        // a fixed time in it fires once, at the first pass
        "0 * * * * | Europe/Berlin | 2027-10-30T23:30:00Z | 2027-10-31T00:00:00Z"
            + " 2027-10-31T01:00:00Z 2027-10-31T02:00:00Z",
        "*/30 * * * * | Europe/Berlin | 2027-10-30T23:45:00Z | 2027-10-31T00:00:00Z"
            + " 2027-10-31T00:30:00Z 2027-10-31T01:00:00Z 2027-10-31T01:30:00Z",
        "30 2 * * * | Europe/Berlin | 2027-10-30T00:00:00Z | 2027-10-30T00:30:00Z"
            + " 2027-10-31T00:30:00Z 2027-11-01T01:30:00Z",
      })
  void firesWhenUnixCronFires(String cron, String zone, String after, String expected)
      throws ParseException {
    List<Instant> want = Arrays.stream(expected.trim().split("\\s+")).map(Instant::parse).toList();

    List<Instant> fires = fireTimes(cron, zone, Instant.parse(after), want.size());

    assertThat(fires).containsExactlyElementsOf(want);
  }

  /**
   * Unix cron (Vixie cron, cronie) runs a fixed time that the spring change skips (02:30 in Berlin
   * on 2027-03-28) right after the change; cron-utils, and so Kontroler, fires it only on the days
   * that have it, like Quartz.
   */
  @Test
  void aFixedTimeTheSpringChangeSkipsDoesNotFireThatDay() throws ParseException {
    List<Instant> fires =
        fireTimes("30 2 * * *", "Europe/Berlin", Instant.parse("2027-03-27T00:00:00Z"), 2);

    assertThat(fires)
        .containsExactly(
            Instant.parse("2027-03-27T01:30:00Z"), Instant.parse("2027-03-29T00:30:00Z"));
  }

  @Test
  void firesOnWholeSecondsAfterAMisfireSetItToNow() throws ParseException {
    List<Instant> fires =
        fireTimes("* * * * * *", "UTC", Instant.parse("2027-01-01T00:00:00.500Z"), 2);

    assertThat(fires)
        .containsExactly(
            Instant.parse("2027-01-01T00:00:01Z"), Instant.parse("2027-01-01T00:00:02Z"));
  }

  /** The first {@code count} instants after {@code after} at which any trigger fires. */
  private static List<Instant> fireTimes(String cron, String zone, Instant after, int count)
      throws ParseException {
    ScheduleSpec spec =
        ScheduleSpec.of(Dags.scheduled("default/d", 1, cron, zone, null, null, false))
            .orElseThrow();
    TreeSet<Instant> union = new TreeSet<>();
    for (CronTrigger trigger : CronSchedules.triggers(spec)) {
      ((OperableTrigger) trigger).setStartTime(Date.from(after));
      Date at = Date.from(after);
      for (int i = 0; i < count; i++) {
        at = trigger.getFireTimeAfter(at);
        union.add(at.toInstant());
      }
    }
    return new ArrayList<>(union).subList(0, count);
  }
}

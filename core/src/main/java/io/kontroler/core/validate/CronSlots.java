package io.kontroler.core.validate;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The cron slots of a schedule in a range of time, as the ingest fires them: the union of the fire
 * times of the expression's Quartz form ({@link Cron#toQuartz}) in the schedule's time zone.
 */
public final class CronSlots {
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  private CronSlots() {}

  /**
   * The slots of {@code schedule} (in {@code timezone}, UTC when null) from {@code from} to {@code
   * to}, both included, oldest first; a problem instead when the schedule or the range is not
   * valid, or when there are more than {@code max}.
   */
  public static Validated<List<Instant>> between(
      String schedule, String timezone, Instant from, Instant to, int max) {
    if (schedule == null || schedule.isBlank()) {
      return new Validated<>(
          null,
          List.of(new Problem("schedule", "expected a DAG with a schedule, but it has none")));
    }
    if (from == null || to == null || to.isBefore(from)) {
      return new Validated<>(
          null,
          List.of(
              new Problem(
                  "to", "expected a range with from <= to, but got " + from + " to " + to)));
    }
    List<String> problems = Cron.problems(schedule);
    if (!problems.isEmpty()) {
      return new Validated<>(null, List.of(new Problem("schedule", problems.get(0))));
    }
    ZoneId zone;
    try {
      zone = timezone == null ? ZoneOffset.UTC : ZoneId.of(timezone);
    } catch (DateTimeException e) {
      return new Validated<>(
          null,
          List.of(new Problem("timezone", "expected an IANA time zone, but got " + timezone)));
    }
    TreeSet<Instant> slots = new TreeSet<>();
    for (String quartz : Cron.toQuartz(schedule)) {
      ExecutionTime times = ExecutionTime.forCron(QUARTZ.parse(quartz));
      ZonedDateTime after = from.minusSeconds(1).atZone(zone);
      while (true) {
        Optional<ZonedDateTime> next = times.nextExecution(after);
        if (next.isEmpty() || next.get().toInstant().isAfter(to)) {
          break;
        }
        Instant slot = next.get().toInstant();
        if (!slot.isBefore(from)) {
          slots.add(slot);
        }
        if (slots.size() > max) {
          return new Validated<>(
              null,
              List.of(
                  new Problem(
                      "to",
                      "expected at most "
                          + max
                          + " cron slots of '"
                          + schedule
                          + "' from "
                          + from
                          + " to "
                          + to
                          + " (scheduler.max.backfill.slots), but there are more")));
        }
        after = next.get();
      }
    }
    return new Validated<>(new ArrayList<>(slots), List.of());
  }
}

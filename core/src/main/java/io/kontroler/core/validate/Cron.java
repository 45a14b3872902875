package io.kontroler.core.validate;

import com.cronutils.mapper.CronMapper;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Unix cron expressions, read by cron-utils with the Unix definition: 5 fields (minute hour
 * day-of-month month day-of-week), or 6 with a leading seconds field, or a macro ({@code @hourly},
 * {@code @daily} …); {@code ?} in a day field means the same as {@code *}. Converted to the Quartz
 * form the ingest schedules with, keeping the Unix meaning.
 *
 * <p>Unix cron fires when day-of-month OR day-of-week matches if both are restricted (neither is
 * {@code *}); Quartz allows only one day field per expression. Such an expression becomes two
 * Quartz expressions, one per day field, and the schedule fires at the union of their times: the
 * same instants as Unix cron (a slot both match fires twice with the same scheduled time, and the
 * run's idempotency key makes it one run).
 */
public final class Cron {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser UNIX_WITH_SECONDS = new CronParser(unixWithSeconds());
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
  private static final CronMapper UNIX_TO_QUARTZ = CronMapper.fromUnixToQuartz();
  private static final List<String> NAMES =
      List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week");
  private static final int DAY_OF_MONTH = 2;
  private static final int DAY_OF_WEEK = 4;
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private Cron() {}

  /** Every problem of the expression; empty when it is valid and Quartz can fire it. */
  public static List<String> problems(String expression) {
    String[] fields = fields(expression);
    if (fields == null) {
      return List.of(
          "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds, but"
              + " got '"
              + expression
              + "'");
    }
    CronParser parser = fields.length == 6 ? UNIX_WITH_SECONDS : UNIX;
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      String[] alone = Collections.nCopies(fields.length, "*").toArray(String[]::new);
      alone[i] = fields[i];
      String field = NAMES.get(i + 6 - fields.length) + " field '" + fields[i] + "': ";
      parseProblem(parser, alone).ifPresent(p -> problems.add(field + p));
    }
    if (problems.isEmpty()) {
      parseProblem(parser, fields).ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    for (String quartz : quartzOf(fields)) {
      try {
        QUARTZ.parse(quartz).validate();
      } catch (IllegalArgumentException e) {
        problems.add(
            "Quartz can not express '" + expression + "' (as '" + quartz + "'): " + e.getMessage());
      }
    }
    return problems;
  }

  /**
   * The Quartz expressions (seconds first, {@code ?} in one day field) whose fire times together
   * are those of a valid expression: one, or two when both day fields are restricted.
   */
  public static List<String> toQuartz(String expression) {
    if (!problems(expression).isEmpty()) {
      throw new IllegalArgumentException("Expected a valid cron expression, but got " + expression);
    }
    return quartzOf(fields(expression));
  }

  private static Optional<String> parseProblem(CronParser parser, String[] fields) {
    try {
      parser.parse(String.join(" ", fields)).validate();
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage().replace("Failed to parse cron expression. ", ""));
    }
  }

  private static List<String> quartzOf(String[] fields) {
    String seconds = fields.length == 6 ? fields[0] : "0";
    String[] unix =
        fields.length == 6 ? List.of(fields).subList(1, 6).toArray(String[]::new) : fields;
    if (unix[DAY_OF_MONTH].equals("*") || unix[DAY_OF_WEEK].equals("*")) {
      return List.of(quartz(seconds, unix));
    }
    String[] byMonthDay = unix.clone();
    byMonthDay[DAY_OF_WEEK] = "*";
    String[] byWeekDay = unix.clone();
    byWeekDay[DAY_OF_MONTH] = "*";
    return List.of(quartz(seconds, byMonthDay), quartz(seconds, byWeekDay));
  }

  /** cron-utils' mapping, without the year field and with day-of-week ranges that never wrap. */
  private static String quartz(String seconds, String[] unix) {
    String mapped = UNIX_TO_QUARTZ.map(UNIX.parse(String.join(" ", unix))).asString();
    String[] q = mapped.split(" ");
    return String.join(" ", seconds, q[1], q[2], q[3], q[4], unwrapped(q[5]));
  }

  /** Quartz numbers Sunday 1 to Saturday 7; Unix {@code 5-7} maps to {@code 6-1}: say 6-7,1. */
  private static String unwrapped(String dayOfWeek) {
    List<String> parts = new ArrayList<>();
    for (String part : dayOfWeek.split(",")) {
      String[] bounds = part.split("-");
      if (bounds.length == 2
          && bounds[0].chars().allMatch(Character::isDigit)
          && bounds[1].chars().allMatch(Character::isDigit)
          && Integer.parseInt(bounds[0]) > Integer.parseInt(bounds[1])) {
        parts.add(bounds[0].equals("7") ? "7" : bounds[0] + "-7");
        parts.add(bounds[1].equals("1") ? "1" : "1-" + bounds[1]);
      } else {
        parts.add(part);
      }
    }
    return String.join(",", parts);
  }

  private static String[] fields(String expression) {
    if (expression == null) {
      return null;
    }
    String trimmed = expression.trim();
    String expanded = MACROS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
    String[] parts = expanded.split("\\s+");
    if (parts.length != 5 && parts.length != 6) {
      return null;
    }
    int offset = parts.length - 5;
    for (int day : new int[] {DAY_OF_MONTH, DAY_OF_WEEK}) {
      if (parts[offset + day].equals("?")) {
        parts[offset + day] = "*";
      }
    }
    return parts;
  }

  /** The Unix definition with a leading seconds field. */
  private static CronDefinition unixWithSeconds() {
    return CronDefinitionBuilder.defineCron()
        .withSeconds()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withMinutes()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withHours()
        .withValidRange(0, 23)
        .withStrictRange()
        .and()
        .withDayOfMonth()
        .withValidRange(1, 31)
        .withStrictRange()
        .and()
        .withMonth()
        .withValidRange(1, 12)
        .withStrictRange()
        .and()
        .withDayOfWeek()
        .withValidRange(0, 7)
        .withMondayDoWValue(1)
        .withIntMapping(7, 0)
        .withStrictRange()
        .and()
        .instance();
  }
}

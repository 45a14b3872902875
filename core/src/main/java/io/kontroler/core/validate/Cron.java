package io.kontroler.core.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Standard cron expressions: 5 fields (minute hour day-of-month month day-of-week), or 6 with a
 * leading seconds field, or a macro ({@code @hourly}, {@code @daily} …). Checks them field by field
 * and converts them to the Quartz form the ingest schedules with.
 */
public final class Cron {
  private record Field(String name, int min, int max, Map<String, Integer> names) {}

  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("JAN", 1),
          Map.entry("FEB", 2),
          Map.entry("MAR", 3),
          Map.entry("APR", 4),
          Map.entry("MAY", 5),
          Map.entry("JUN", 6),
          Map.entry("JUL", 7),
          Map.entry("AUG", 8),
          Map.entry("SEP", 9),
          Map.entry("OCT", 10),
          Map.entry("NOV", 11),
          Map.entry("DEC", 12));
  private static final Map<String, Integer> DAYS =
      Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4, "FRI", 5, "SAT", 6);
  private static final Field SECOND = new Field("second", 0, 59, Map.of());
  private static final Field MINUTE = new Field("minute", 0, 59, Map.of());
  private static final Field HOUR = new Field("hour", 0, 23, Map.of());
  private static final Field DAY_OF_MONTH = new Field("day-of-month", 1, 31, Map.of());
  private static final Field MONTH = new Field("month", 1, 12, MONTHS);
  private static final Field DAY_OF_WEEK = new Field("day-of-week", 0, 7, DAYS);
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly",
          "0 0 1 1 *",
          "@annually",
          "0 0 1 1 *",
          "@monthly",
          "0 0 1 * *",
          "@weekly",
          "0 0 * * 0",
          "@daily",
          "0 0 * * *",
          "@midnight",
          "0 0 * * *",
          "@hourly",
          "0 * * * *");

  private Cron() {}

  /** Every problem of the expression, each naming its field; empty when valid. */
  public static List<String> problems(String expression) {
    List<String> problems = new ArrayList<>();
    String[] fields = fields(expression);
    if (fields == null) {
      problems.add(
          "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds, but"
              + " got '"
              + expression
              + "'");
      return problems;
    }
    List<Field> kinds = kinds(fields.length);
    for (int i = 0; i < fields.length; i++) {
      checkField(kinds.get(i), fields[i], problems);
    }
    return problems;
  }

  /** The Quartz form (seconds first, '?' in one day field) of a valid expression. */
  public static String toQuartz(String expression) {
    String[] f = fields(expression);
    if (f == null || !problems(expression).isEmpty()) {
      throw new IllegalArgumentException("Expected a valid cron expression, but got " + expression);
    }
    String[] six = f.length == 6 ? f : new String[] {"0", f[0], f[1], f[2], f[3], f[4]};
    String dom = six[3];
    String dow = quartzDays(six[5]);
    if (dom.equals("?") || dow.equals("?")) {
      return String.join(" ", six[0], six[1], six[2], dom, six[4], dow);
    }
    if (dow.equals("*")) {
      dow = "?";
    } else {
      dom = "?";
    }
    return String.join(" ", six[0], six[1], six[2], dom, six[4], dow);
  }

  private static String[] fields(String expression) {
    if (expression == null) {
      return null;
    }
    String trimmed = expression.trim();
    String expanded = MACROS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
    String[] parts = expanded.split("\\s+");
    return parts.length == 5 || parts.length == 6 ? parts : null;
  }

  private static List<Field> kinds(int count) {
    List<Field> five = List.of(MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK);
    if (count == 5) {
      return five;
    }
    List<Field> six = new ArrayList<>(List.of(SECOND));
    six.addAll(five);
    return six;
  }

  private static void checkField(Field field, String text, List<String> problems) {
    if (text.equals("?") && (field == DAY_OF_MONTH || field == DAY_OF_WEEK)) {
      return;
    }
    for (String part : text.split(",", -1)) {
      Optional<String> problem = checkPart(field, part);
      problem.ifPresent(p -> problems.add(field.name() + " field '" + text + "': " + p));
    }
  }

  private static Optional<String> checkPart(Field field, String part) {
    if (part.isEmpty()) {
      return Optional.of("empty list element");
    }
    String range = part;
    int slash = part.indexOf('/');
    if (slash >= 0) {
      range = part.substring(0, slash);
      Integer step = number(part.substring(slash + 1), Map.of());
      if (step == null || step <= 0) {
        return Optional.of("step '" + part.substring(slash + 1) + "' is not a positive number");
      }
    }
    if (range.equals("*")) {
      return Optional.empty();
    }
    String[] bounds = range.split("-", -1);
    if (bounds.length > 2) {
      return Optional.of("'" + range + "' is not a value or a range");
    }
    Integer low = number(bounds[0], field.names());
    Integer high = bounds.length == 2 ? number(bounds[1], field.names()) : low;
    for (int i = 0; i < bounds.length; i++) {
      Integer value = i == 0 ? low : high;
      if (value == null) {
        return Optional.of("'" + bounds[i] + "' is not a number" + nameHint(field));
      }
      if (value < field.min() || value > field.max()) {
        return Optional.of(value + " is out of range " + field.min() + "-" + field.max());
      }
    }
    if (low > high) {
      return Optional.of("range " + range + " goes backwards");
    }
    return Optional.empty();
  }

  private static String nameHint(Field field) {
    return field.names().isEmpty()
        ? ""
        : " or a name like " + field.names().keySet().stream().sorted().findFirst().orElse("");
  }

  private static Integer number(String text, Map<String, Integer> names) {
    Integer named = names.get(text.toUpperCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return Integer.parseInt(text);
  }

  /** Cron numbers Sunday 0 (or 7), Quartz 1; names are the same in both. */
  private static String quartzDays(String dow) {
    if (dow.equals("*") || dow.equals("?")) {
      return dow;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < dow.length(); i++) {
      char c = dow.charAt(i);
      if (Character.isDigit(c) && (i == 0 || "-,".indexOf(dow.charAt(i - 1)) >= 0)) {
        int end = i;
        while (end < dow.length() && Character.isDigit(dow.charAt(end))) {
          end++;
        }
        int value = Integer.parseInt(dow.substring(i, end));
        out.append(value % 7 + 1);
        i = end - 1;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

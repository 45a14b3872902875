package io.kontroler.api.pools;

import io.kontroler.core.config.ValueType;
import io.kontroler.core.validate.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an admin may set on a shared pool: a name of letters, digits, {@code .}, {@code _} and
 * {@code -} (at most 63, starting with a letter or digit, so that it is a clean record key) and 0
 * to {@value #MAX_SLOTS} slots. Also the {@code api.pools} value: {@code name=slots,…}.
 */
public final class PoolLimits {
  /** More slots than any database or service can take at once; a typo rather than a limit. */
  public static final int MAX_SLOTS = 10_000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  /** {@code warehouse=2,reporting=4}: pool name to slots, in the order written. */
  public static final ValueType<Map<String, Integer>> SLOTS_BY_POOL =
      ValueType.of("name=slots list", PoolLimits::parse, PoolLimits::format);

  private PoolLimits() {}

  /** The problems of setting {@code pool} to {@code slots} slots; empty when none. */
  public static List<Problem> check(String pool, Integer slots) {
    List<Problem> problems = new ArrayList<>();
    if (pool == null || !NAME.matcher(pool).matches()) {
      problems.add(
          new Problem(
              "name",
              "expected 1 to 63 letters, digits, '.', '_' or '-' starting with a letter or digit,"
                  + " but got '"
                  + pool
                  + "'"));
    }
    if (slots == null) {
      problems.add(new Problem("slots", "missing"));
    } else if (slots < 0 || slots > MAX_SLOTS) {
      problems.add(new Problem("slots", "expected 0 to " + MAX_SLOTS + " slots, but got " + slots));
    }
    return problems;
  }

  private static Map<String, Integer> parse(String text) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.split("=", 2);
      Integer slots = parts.length == 2 ? number(parts[1].trim()) : null;
      String pool = parts[0].trim();
      List<Problem> problems = check(pool, slots);
      if (parts.length != 2 || !problems.isEmpty() || out.containsKey(pool)) {
        String why =
            parts.length != 2 || slots == null
                ? "name=slots"
                : problems.isEmpty()
                    ? "each pool once"
                    : problems.stream().map(Problem::message).collect(Collectors.joining("; "));
        throw new IllegalArgumentException(
            "Expected pools as name=slots,… (" + why + "), but got '" + entry.trim() + "'");
      }
      out.put(pool, slots);
    }
    return Collections.unmodifiableMap(out);
  }

  private static Integer number(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String format(Map<String, Integer> pools) {
    return pools.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}

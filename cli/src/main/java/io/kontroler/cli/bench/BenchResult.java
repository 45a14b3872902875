package io.kontroler.cli.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of one workload, by name, in the order they are printed. Every workload has {@code
 * tasks} and {@code wall_ms}; the others depend on the workload (see {@link Bench}). A figure that
 * could not be measured is null.
 *
 * @param workload the workload's name
 * @param guarantee the scheduler's processing guarantee, or null where none applies (the floor)
 * @param figures name → value (a Long for counts, bytes and megabytes, a Double for rates and
 *     times), in print order
 * @param error why the workload did not complete, or null
 */
public record BenchResult(
    String workload, String guarantee, Map<String, Number> figures, String error) {
  public static final String TASKS = "tasks";
  public static final String WALL_MS = "wall_ms";
  public static final String TASKS_PER_S = "tasks_per_s";
  public static final String HOP_P50_MS = "hop_p50_ms";
  public static final String HOP_MEAN_MS = "hop_mean_ms";
  public static final String HOP_P99_MS = "hop_p99_ms";
  public static final String HEAP_PEAK_MB = "heap_peak_mb";
  public static final String MAX_RECORD_BYTES = "max_record_bytes";

  public BenchResult {
    Objects.requireNonNull(workload, "workload");
    figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
  }

  /** The value of figure {@code name}, or null. */
  public Number figure(String name) {
    return figures.get(name);
  }

  /** The value of figure {@code name} as a double, or null. */
  public Double decimal(String name) {
    Number n = figures.get(name);
    return n == null ? null : n.doubleValue();
  }

  public int tasks() {
    Number n = figures.get(TASKS);
    return n == null ? 0 : n.intValue();
  }

  public long wallMs() {
    Number n = figures.get(WALL_MS);
    return n == null ? 0 : n.longValue();
  }

  public Double hopP50Ms() {
    return decimal(HOP_P50_MS);
  }

  public Double hopP99Ms() {
    return decimal(HOP_P99_MS);
  }

  /**
   * The median of each figure over {@code samples} of one workload; a figure missing from any
   * sample is null. Longs stay longs (rounded down, as the median of two is their mean).
   */
  public static BenchResult median(List<BenchResult> samples) {
    BenchResult first = samples.get(0);
    Map<String, Number> medians = new LinkedHashMap<>();
    for (String name : first.figures().keySet()) {
      double[] values = new double[samples.size()];
      boolean complete = true;
      for (int i = 0; i < samples.size(); i++) {
        Number n = samples.get(i).figure(name);
        if (n == null || Double.isNaN(n.doubleValue())) {
          complete = false;
          break;
        }
        values[i] = n.doubleValue();
      }
      if (!complete) {
        medians.put(name, null);
      } else {
        double m = Stats.median(values);
        medians.put(name, first.figure(name) instanceof Long ? (Number) (long) m : (Number) m);
      }
    }
    return new BenchResult(first.workload(), first.guarantee(), medians, first.error());
  }

  /** One line of JSON: the workload, its figures in order, then the guarantee. */
  public String toJson() {
    StringBuilder b = new StringBuilder();
    b.append("{\"workload\":\"").append(workload).append('"');
    figures.forEach(
        (name, value) -> b.append(",\"").append(name).append("\":").append(json(value)));
    if (guarantee != null) {
      b.append(",\"guarantee\":\"").append(guarantee).append('"');
    }
    if (error != null) {
      b.append(",\"error\":\"").append(escape(error)).append('"');
    }
    return b.append('}').toString();
  }

  /** A line for people: {@code workload name value name value … (guarantee)}. */
  public String toText() {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-10s", workload));
    figures.forEach((name, value) -> b.append("  ").append(name).append(' ').append(json(value)));
    if (guarantee != null) {
      b.append("  (").append(guarantee).append(')');
    }
    if (error != null) {
      b.append("  error: ").append(error);
    }
    return b.toString();
  }

  static String escape(String text) {
    StringBuilder b = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  static String json(Number value) {
    if (value == null || Double.isNaN(value.doubleValue())) {
      return "null";
    }
    if (value instanceof Long || value instanceof Integer) {
      return String.valueOf(value.longValue());
    }
    return String.format(Locale.ROOT, "%.2f", value.doubleValue());
  }
}

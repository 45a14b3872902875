package io.kontroler.cli.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the time of a chain's hops went, from four instants per hop (System.nanoTime in this JVM):
 * the executor sent the success of a task, the scheduler's thread received it, the scheduler handed
 * the next task's launch to its producer, the executor received that launch. The last stretch is
 * split with the scheduler's producer metrics into the time its thread spent committing (flush,
 * offsets, commit request) and the rest (the commit markers reaching the partition and the
 * executor's fetch). Each figure is a mean over the hops, so they add up to the mean hop.
 */
final class HopBreakdown {
  /** The instants of one hop; a null instant leaves the hop out. */
  record Hop(Long successSent, Long successReceived, Long launchSent, Long launchReceived) {
    boolean complete() {
      return successSent != null
          && successReceived != null
          && launchSent != null
          && launchReceived != null;
    }

    double totalMs() {
      return (launchReceived - successSent) / 1e6;
    }
  }

  static final String TO_SCHEDULER = "to_scheduler_ms";
  static final String IN_SCHEDULER = "in_scheduler_ms";
  static final String COMMIT = "commit_ms";
  static final String TO_EXECUTOR = "to_executor_ms";
  static final String COMMITS_PER_HOP = "commits_per_hop";
  static final String RETRIES_PER_HOP = "retries_per_hop";

  private HopBreakdown() {}

  /**
   * The {@code n} slowest complete hops, each split into its three measured stretches (to the
   * scheduler, in it, after it), for the log: what the tail waited for.
   */
  static String slowest(List<Hop> hops, int n) {
    return hops.stream()
        .filter(Hop::complete)
        .sorted(Comparator.comparingDouble(Hop::totalMs).reversed())
        .limit(n)
        .map(
            h ->
                String.format(
                    Locale.ROOT,
                    "%.2f ms (%.2f to, %.2f in, %.2f after the scheduler)",
                    h.totalMs(),
                    (h.successReceived() - h.successSent()) / 1e6,
                    (h.launchSent() - h.successReceived()) / 1e6,
                    (h.launchReceived() - h.launchSent()) / 1e6))
        .collect(Collectors.joining("; "));
  }

  /**
   * The breakdown of {@code hops}, given what the scheduler's producers did meanwhile ({@code
   * metrics}, a delta). Figures are NaN when no hop was complete.
   */
  static Map<String, Number> of(List<Hop> hops, ClientMetrics metrics) {
    List<Double> toScheduler = new ArrayList<>();
    List<Double> inScheduler = new ArrayList<>();
    List<Double> afterScheduler = new ArrayList<>();
    for (Hop h : hops) {
      if (h.complete()) {
        toScheduler.add((h.successReceived() - h.successSent()) / 1e6);
        inScheduler.add((h.launchSent() - h.successReceived()) / 1e6);
        afterScheduler.add((h.launchReceived() - h.launchSent()) / 1e6);
      }
    }
    int n = hops.size();
    double commitMs =
        metrics.commits() <= 0 ? Double.NaN : metrics.commitNanos() / 1e6 / metrics.commits();
    Map<String, Number> figures = new LinkedHashMap<>();
    figures.put(TO_SCHEDULER, Stats.mean(toScheduler));
    figures.put(IN_SCHEDULER, Stats.mean(inScheduler));
    figures.put(COMMIT, commitMs);
    figures.put(TO_EXECUTOR, Stats.mean(afterScheduler) - commitMs);
    figures.put(COMMITS_PER_HOP, n == 0 ? Double.NaN : metrics.commits() / n);
    figures.put(RETRIES_PER_HOP, n == 0 ? Double.NaN : metrics.retries() / n);
    return figures;
  }
}

package io.kontroler.cli.bench;

import java.util.Locale;

/**
 * The figures of one workload: tasks run, wall time from the first request to the last run's end,
 * throughput, and for the chain the hop latency (a task's success sent by the executor to the
 * launch of the next task received by it). Heap figures are measured for the large workloads only,
 * in the bench's JVM (broker, scheduler and executor together); null elsewhere.
 */
public record BenchResult(
    String workload,
    String guarantee,
    int tasks,
    long wallMs,
    double tasksPerS,
    Double hopP50Ms,
    Double hopP99Ms,
    Long heapPeakMb,
    Long heapRetainedMb) {

  /** One line of JSON. */
  public String toJson() {
    StringBuilder b = new StringBuilder();
    b.append("{\"workload\":\"").append(workload).append('"');
    b.append(",\"tasks\":").append(tasks);
    b.append(",\"wall_ms\":").append(wallMs);
    b.append(",\"tasks_per_s\":").append(round(tasksPerS));
    b.append(",\"hop_p50_ms\":").append(hopP50Ms == null ? "null" : round(hopP50Ms));
    b.append(",\"hop_p99_ms\":").append(hopP99Ms == null ? "null" : round(hopP99Ms));
    b.append(",\"guarantee\":\"").append(guarantee).append('"');
    if (heapPeakMb != null) {
      b.append(",\"heap_peak_mb\":").append(heapPeakMb);
      b.append(",\"heap_retained_mb\":").append(heapRetainedMb);
    }
    return b.append('}').toString();
  }

  /** A line for people. */
  public String toText() {
    String text =
        String.format(
            Locale.ROOT,
            "%-10s %6d tasks %8d ms %10.0f tasks/s",
            workload,
            tasks,
            wallMs,
            tasksPerS);
    if (hopP50Ms != null) {
      text += String.format(Locale.ROOT, "  hop p50 %.2f ms p99 %.2f ms", hopP50Ms, hopP99Ms);
    }
    if (heapPeakMb != null) {
      text += "  heap peak " + heapPeakMb + " MB, retained " + heapRetainedMb + " MB";
    }
    return text + "  (" + guarantee + ")";
  }

  private static String round(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}

package io.kontroler.cli.bench;

import io.kontroler.core.message.Topics;
import io.kontroler.core.shape.Shapes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The sustained workload: diamond runs requested at a fixed rate for a fixed time, each request on
 * its own schedule (a late request is sent at once, so the rate holds on average). Reports the rate
 * at which runs finished, the latency from a run's request to its end (p50, p99, max), and the
 * scheduler's consumer lag halfway and when the last request was sent.
 */
final class SustainedLoad {
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

  private final Bench bench;

  SustainedLoad(Bench bench) {
    this.bench = bench;
  }

  BenchResult run(int rate, Duration duration) {
    String dag = "bench/sustained";
    bench.publishOnce(dag, Shapes.diamond());
    int total = (int) Math.max(1, rate * duration.toMillis() / 1000);
    int seq = bench.nextSequence();
    List<String> keys = new ArrayList<>(total);
    List<String> runIds = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      String key = "sustained-" + seq + "-" + i;
      keys.add(key);
      runIds.add(io.kontroler.core.run.RunIds.forRequest(dag, key));
    }
    bench.watcher().expect(runIds);
    try (SchedulerLag lag =
        new SchedulerLag(
            bench.clientProperties(),
            Bench.APPLICATION_ID,
            List.of(Topics.DEFAULT.commands(), Topics.DEFAULT.taskOutcomes()))) {
      return run(dag, rate, keys, runIds, lag);
    }
  }

  private BenchResult run(
      String dag, int rate, List<String> keys, List<String> runIds, SchedulerLag lag) {
    int total = keys.size();
    long[] requestedAt = new long[total];
    long intervalNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    Long lagMid = null;
    for (int i = 0; i < total; i++) {
      long due = start + i * intervalNanos;
      for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
        LockSupport.parkNanos(due - now);
      }
      requestedAt[i] = System.nanoTime();
      bench.request(dag, keys.get(i));
      if (i == total / 2) {
        lagMid = lag.now();
      }
    }
    bench.producer().flush();
    long lagEnd = lag.now();
    bench.awaitRuns("sustained", runIds, DRAIN_TIMEOUT);
    double[] latencies = new double[total];
    long lastEnd = start;
    for (int i = 0; i < total; i++) {
      long ended = bench.watcher().endedAtNanos(runIds.get(i));
      latencies[i] = (ended - requestedAt[i]) / 1e6;
      lastEnd = Math.max(lastEnd, ended);
    }
    Map<String, Number> f = new LinkedHashMap<>();
    f.put(BenchResult.TASKS, (long) total * 4);
    f.put(BenchResult.WALL_MS, (lastEnd - start) / 1_000_000);
    f.put("rate", (long) rate);
    f.put("runs", (long) total);
    f.put("runs_per_s", total * 1e9 / (lastEnd - start));
    f.put("latency_p50_ms", Stats.percentile(latencies, 50));
    f.put("latency_p99_ms", Stats.percentile(latencies, 99));
    f.put("latency_max_ms", Stats.percentile(latencies, 100));
    f.put("lag_mid", lagMid);
    f.put("lag_end", lagEnd);
    return new BenchResult("sustained", bench.options().processingGuarantee(), f, null);
  }
}

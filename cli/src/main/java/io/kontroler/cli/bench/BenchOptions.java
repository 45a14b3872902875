package io.kontroler.cli.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How to run the bench.
 *
 * @param processingGuarantee exactly_once_v2 (default) or at_least_once
 * @param repetitions measured runs of each workload; the median of each figure is reported (3)
 * @param partitions partitions of the topics (6)
 * @param dataDir where the broker and the stores keep data; null for a temporary directory that is
 *     deleted at close
 * @param warmUp run unmeasured workloads first so that the JIT has compiled the hot paths (true)
 * @param schedulerOverrides flat scheduler configuration keys (see {@code SchedulerConfig}) applied
 *     on top of the bench's own, e.g. {@code scheduler.commit.interval.ms}
 */
public record BenchOptions(
    String processingGuarantee,
    int repetitions,
    int partitions,
    Path dataDir,
    boolean warmUp,
    Map<String, String> schedulerOverrides) {

  public BenchOptions {
    Objects.requireNonNull(processingGuarantee, "processingGuarantee");
    if (repetitions < 1 || partitions < 1) {
      throw new IllegalArgumentException("Expected repetitions and partitions >= 1");
    }
    schedulerOverrides = Map.copyOf(Objects.requireNonNullElse(schedulerOverrides, Map.of()));
  }

  public static BenchOptions defaults() {
    return new BenchOptions(StreamsConfig.EXACTLY_ONCE_V2, 3, 6, null, true, Map.of());
  }

  public BenchOptions withProcessingGuarantee(String value) {
    return new BenchOptions(value, repetitions, partitions, dataDir, warmUp, schedulerOverrides);
  }

  public BenchOptions withRepetitions(int value) {
    return new BenchOptions(
        processingGuarantee, value, partitions, dataDir, warmUp, schedulerOverrides);
  }

  public BenchOptions withWarmUp(boolean value) {
    return new BenchOptions(
        processingGuarantee, repetitions, partitions, dataDir, value, schedulerOverrides);
  }

  public BenchOptions withDataDir(Path value) {
    return new BenchOptions(
        processingGuarantee, repetitions, partitions, value, warmUp, schedulerOverrides);
  }

  public BenchOptions withSchedulerOverrides(Map<String, String> value) {
    return new BenchOptions(processingGuarantee, repetitions, partitions, dataDir, warmUp, value);
  }
}

package io.kontroler.cli.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How to run the bench.
 *
 * @param processingGuarantee exactly_once_v2 (default) or at_least_once
 * @param repetitions measured runs of each workload; the median of each figure is reported (3).
 *     xlarge and sustained run once.
 * @param partitions partitions of the topics (6)
 * @param dataDir where the broker and the stores keep data; null for a temporary directory that is
 *     deleted at close
 * @param warmUp run unmeasured workloads first so that the JIT has compiled the hot paths (true)
 * @param schedulerOverrides flat scheduler configuration keys (see {@code SchedulerConfig}) applied
 *     on top of the bench's own, e.g. {@code scheduler.commit.interval.ms}
 * @param sizes the sizes of the workloads ({@link BenchSizes#STANDARD})
 * @param rate diamond runs requested per second by sustained (300)
 * @param duration how long sustained requests runs (60 s)
 * @param xlargeHeap the heap limit of the scheduler's JVM in xlarge, as for -Xmx (512m)
 * @param brokerOverrides properties of the in-process broker, e.g. {@code num.io.threads}; a key
 *     {@code feature.<name>} sets the level of a feature instead, e.g. {@code
 *     feature.transaction.version=1}
 */
public record BenchOptions(
    String processingGuarantee,
    int repetitions,
    int partitions,
    Path dataDir,
    boolean warmUp,
    Map<String, String> schedulerOverrides,
    BenchSizes sizes,
    int rate,
    Duration duration,
    String xlargeHeap,
    Map<String, String> brokerOverrides) {

  public BenchOptions {
    Objects.requireNonNull(processingGuarantee, "processingGuarantee");
    Objects.requireNonNull(sizes, "sizes");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(xlargeHeap, "xlargeHeap");
    if (repetitions < 1 || partitions < 1) {
      throw new IllegalArgumentException("Expected repetitions and partitions >= 1");
    }
    if (rate < 1 || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(
          "Expected a rate >= 1 and a positive duration, but got " + rate + " and " + duration);
    }
    schedulerOverrides = Map.copyOf(Objects.requireNonNullElse(schedulerOverrides, Map.of()));
    brokerOverrides = Map.copyOf(Objects.requireNonNullElse(brokerOverrides, Map.of()));
  }

  public static BenchOptions defaults() {
    return new BenchOptions(
        StreamsConfig.EXACTLY_ONCE_V2,
        3,
        6,
        null,
        true,
        Map.of(),
        BenchSizes.STANDARD,
        300,
        Duration.ofSeconds(60),
        "512m",
        Map.of());
  }

  public BenchOptions withProcessingGuarantee(String value) {
    return new BenchOptions(
        value,
        repetitions,
        partitions,
        dataDir,
        warmUp,
        schedulerOverrides,
        sizes,
        rate,
        duration,
        xlargeHeap,
        brokerOverrides);
  }

  public BenchOptions withRepetitions(int value) {
    return new BenchOptions(
        processingGuarantee,
        value,
        partitions,
        dataDir,
        warmUp,
        schedulerOverrides,
        sizes,
        rate,
        duration,
        xlargeHeap,
        brokerOverrides);
  }

  public BenchOptions withPartitions(int value) {
    return new BenchOptions(
        processingGuarantee,
        repetitions,
        value,
        dataDir,
        warmUp,
        schedulerOverrides,
        sizes,
        rate,
        duration,
        xlargeHeap,
        brokerOverrides);
  }

  public BenchOptions withWarmUp(boolean value) {
    return new BenchOptions(
        processingGuarantee,
        repetitions,
        partitions,
        dataDir,
        value,
        schedulerOverrides,
        sizes,
        rate,
        duration,
        xlargeHeap,
        brokerOverrides);
  }

  public BenchOptions withDataDir(Path value) {
    return new BenchOptions(
        processingGuarantee,
        repetitions,
        partitions,
        value,
        warmUp,
        schedulerOverrides,
        sizes,
        rate,
        duration,
        xlargeHeap,
        brokerOverrides);
  }

  public BenchOptions withSchedulerOverrides(Map<String, String> value) {
    return new BenchOptions(
        processingGuarantee,
        repetitions,
        partitions,
        dataDir,
        warmUp,
        value,
        sizes,
        rate,
        duration,
        xlargeHeap,
        brokerOverrides);
  }

  public BenchOptions withSizes(BenchSizes value) {
    return new BenchOptions(
        processingGuarantee,
        repetitions,
        partitions,
        dataDir,
        warmUp,
        schedulerOverrides,
        value,
        rate,
        duration,
        xlargeHeap,
        brokerOverrides);
  }

  /** Sustained's rate (runs per second) and duration. */
  public BenchOptions withLoad(int runsPerSecond, Duration value) {
    return new BenchOptions(
        processingGuarantee,
        repetitions,
        partitions,
        dataDir,
        warmUp,
        schedulerOverrides,
        sizes,
        runsPerSecond,
        value,
        xlargeHeap,
        brokerOverrides);
  }

  public BenchOptions withBrokerOverrides(Map<String, String> value) {
    return new BenchOptions(
        processingGuarantee,
        repetitions,
        partitions,
        dataDir,
        warmUp,
        schedulerOverrides,
        sizes,
        rate,
        duration,
        xlargeHeap,
        value);
  }
}

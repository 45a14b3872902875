package io.kontroler.cli.bench;

import io.kontroler.broker.TopicSetup;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler bench: a real in-process broker, the real scheduler topology and a no-op executor
 * (a real consumer of task launches that reports success at once). Use it as {@code try (Bench b =
 * Bench.start(options)) { b.run("chain"); }}, or {@link #runAll}.
 *
 * <p>Workloads: {@code chain} (200 tasks in a line), {@code fanout} (1 → 1,000 → 1), {@code
 * diamonds} (500 runs of a 4-task diamond started at once), {@code large} (one run of 100 layers of
 * 100 tasks, each after 2 of the layer above) and {@code large_half} (50 layers of 100).
 */
public final class Bench implements AutoCloseable {
  /** The workloads, in the order {@link #runAll} runs them when none are named. */
  public static final List<String> WORKLOADS =
      List.of("chain", "fanout", "diamonds", "large", "large_half");

  private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final Topics TOPICS = Topics.DEFAULT;

  private final BenchOptions options;
  private final Path dataDir;
  private final boolean temporary;
  private final EmbeddedKafka kafka;
  private final Scheduler scheduler;
  private final NoopExecutor executor;
  private final RunWatcher watcher;
  private final KafkaProducer<String, byte[]> producer;
  private final Map<String, Integer> published = new HashMap<>();
  private int sequence;

  private Bench(BenchOptions options, Path dataDir, boolean temporary) {
    this.options = options;
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.kafka = EmbeddedKafka.start(dataDir);
    this.scheduler =
        Scheduler.start(
            SchedulerConfig.fromFlat(
                    Map.of(
                        "kafka.bootstrap.servers", kafka.bootstrapServers(),
                        "scheduler.application.id", "kontroler-bench",
                        "scheduler.state.dir", dataDir.resolve("streams").toString(),
                        "scheduler.partitions", String.valueOf(options.partitions()),
                        "scheduler.processing.guarantee", options.processingGuarantee()))
                .with(options.schedulerOverrides()));
    Properties client = kafka.clientProperties();
    this.executor =
        new NoopExecutor(
            client, TOPICS.taskLaunches(), TOPICS.taskOutcomes(), options.partitions());
    this.watcher = new RunWatcher(client, TOPICS.runEvents(), options.partitions());
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(TopicSetup.MAX_MESSAGE_BYTES));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
  }

  /** Starts the broker, the scheduler and the executor, and warms them up. */
  public static Bench start(BenchOptions options) {
    try {
      boolean temporary = options.dataDir() == null;
      Path dir = temporary ? Files.createTempDirectory("kontroler-bench") : options.dataDir();
      Bench bench = new Bench(options, dir, temporary);
      if (options.warmUp()) {
        bench.warmUp();
      }
      return bench;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the bench directory", e);
    }
  }

  /** Runs {@code workloads} (all when empty), each {@code repetitions} times; medians. */
  public static List<BenchResult> runAll(BenchOptions options, List<String> workloads) {
    List<String> names = workloads.isEmpty() ? WORKLOADS : workloads;
    names.forEach(Bench::check);
    try (Bench bench = start(options)) {
      List<BenchResult> results = new ArrayList<>();
      for (String name : names) {
        results.add(bench.run(name));
      }
      return results;
    }
  }

  /** Runs one workload {@code repetitions} times and returns the median of each figure. */
  public BenchResult run(String workload) {
    check(workload);
    List<BenchResult> samples = new ArrayList<>();
    for (int i = 0; i < options.repetitions(); i++) {
      BenchResult sample = runOnce(workload);
      LOG.info("{}", sample.toText());
      samples.add(sample);
    }
    return median(samples);
  }

  private static void check(String workload) {
    if (!WORKLOADS.contains(workload)) {
      throw new IllegalArgumentException(
          "Expected a workload of " + WORKLOADS + ", but got '" + workload + "'");
    }
  }

  private BenchResult runOnce(String workload) {
    return switch (workload) {
      case "chain" -> measure(workload, Shapes.chain(200), 1);
      case "fanout" -> measure(workload, Shapes.fanout(1000), 1);
      case "diamonds" -> measure(workload, Shapes.diamond(), 500);
      case "large" -> measure(workload, Shapes.layered(100, 100), 1);
      default -> measure(workload, Shapes.layered(50, 100), 1);
    };
  }

  private void warmUp() {
    // The JIT needs thousands of round trips through broker, scheduler and executor before
    // latency settles; cold figures say little about the scheduler.
    // Lone hops take the prompt-commit path (a transaction per hop), bursts the interval's: both
    // paths, in scheduler and broker, need their share of the warm-up.
    for (int i = 0; i < 12; i++) {
      measure("warmup-chain", Shapes.chain(300), 1);
    }
    measure("warmup-diamonds", Shapes.diamond(), 300);
    measure("warmup-layered", Shapes.layered(20, 100), 1);
    LOG.info("Bench warmed up");
  }

  private BenchResult measure(String workload, DagSpec spec, int runs) {
    String dag = "bench/" + workload;
    publishOnce(dag, spec);
    boolean large = workload.startsWith("large");
    long baseline = large ? usedHeapAfterGc() : 0;
    if (large) {
      resetHeapPeaks();
    }
    executor.forget();
    List<String> runIds = new ArrayList<>(runs);
    List<String> keys = new ArrayList<>(runs);
    int seq = ++sequence;
    for (int i = 0; i < runs; i++) {
      String key = workload + "-" + seq + "-" + i;
      keys.add(key);
      runIds.add(RunIds.forRequest(dag, key));
    }
    watcher.expect(runIds);
    long start = System.nanoTime();
    for (String key : keys) {
      send(
          TOPICS.commands(), dag, new Inbound.RunRequested(dag, key, Map.of(), key, Instant.now()));
    }
    producer.flush();
    awaitRuns(workload, runIds);
    long wallNanos = System.nanoTime() - start;
    int tasks = spec.task().size() * runs;
    Double p50 = null;
    Double p99 = null;
    if (workload.equals("chain")) {
      List<Double> hops = hops(runIds.get(0), spec);
      p50 = percentile(hops, 50);
      p99 = percentile(hops, 99);
    }
    Long peak = large ? heapPeakMb() : null;
    Long retained = large ? Math.max(0, (usedHeapAfterGc() - baseline) >> 20) : null;
    long wallMs = Math.max(1, wallNanos / 1_000_000);
    return new BenchResult(
        workload,
        options.processingGuarantee(),
        tasks,
        wallMs,
        tasks * 1e9 / wallNanos,
        p50,
        p99,
        peak,
        retained);
  }

  private void awaitRuns(String workload, List<String> runIds) {
    try {
      if (!watcher.await(RUN_TIMEOUT)) {
        throw new IllegalStateException(
            "Expected the "
                + workload
                + " runs to end within "
                + RUN_TIMEOUT
                + ", but they did not");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during the " + workload + " bench", e);
    }
    for (String runId : runIds) {
      if (watcher.ended(runId).to() != RunPhase.Succeeded) {
        throw new IllegalStateException(
            "Expected run " + runId + " to succeed, but it ended " + watcher.ended(runId).to());
      }
    }
  }

  private List<Double> hops(String runId, DagSpec chain) {
    List<Double> hops = new ArrayList<>();
    for (int i = 1; i < chain.task().size(); i++) {
      Long sent = executor.succeededAt(runId, chain.task().get(i - 1).name());
      Long received = executor.launchedAt(runId, chain.task().get(i).name());
      if (sent != null && received != null) {
        hops.add((received - sent) / 1e6);
      }
    }
    return hops;
  }

  private void publishOnce(String dag, DagSpec spec) {
    if (published.containsKey(dag)) {
      return;
    }
    try {
      producer
          .send(
              new ProducerRecord<>(
                  TOPICS.dags(),
                  dag,
                  MessageCodec.encode(new Catalog.DagPublished(dag, 1, spec, Instant.now()))))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while publishing " + dag, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("Could not publish " + dag + ": " + e.getCause(), e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (scheduler.dagVersion(dag) != 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The scheduler did not load DAG " + dag);
      }
      pause();
    }
    published.put(dag, 1);
  }

  private void send(String topic, String key, Object message) {
    producer.send(new ProducerRecord<>(topic, key, MessageCodec.encode(message)));
  }

  private static BenchResult median(List<BenchResult> samples) {
    BenchResult first = samples.get(0);
    return new BenchResult(
        first.workload(),
        first.guarantee(),
        first.tasks(),
        (long) medianOf(samples, BenchResult::wallMs),
        medianOf(samples, BenchResult::tasksPerS),
        first.hopP50Ms() == null ? null : medianOf(samples, BenchResult::hopP50Ms),
        first.hopP99Ms() == null ? null : medianOf(samples, BenchResult::hopP99Ms),
        first.heapPeakMb() == null ? null : (long) medianOf(samples, BenchResult::heapPeakMb),
        first.heapRetainedMb() == null
            ? null
            : (long) medianOf(samples, BenchResult::heapRetainedMb));
  }

  private static double medianOf(List<BenchResult> samples, ToDoubleFunction<BenchResult> f) {
    double[] values = samples.stream().mapToDouble(f).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  static double percentile(List<Double> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.naturalOrder());
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void resetHeapPeaks() {
    heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long heapPeakMb() {
    return heapPools().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
  }

  private static Stream<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP);
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  @Override
  public void close() {
    producer.close();
    watcher.close();
    executor.close();
    scheduler.close();
    kafka.close();
    if (temporary) {
      deleteRecursively(dataDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", dir, e.getMessage());
    }
  }
}

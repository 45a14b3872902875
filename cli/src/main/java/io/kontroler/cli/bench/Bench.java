package io.kontroler.cli.bench;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.DagParts;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.SchedulerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler bench: a real in-process broker, the real scheduler topology and a no-op executor
 * (a real consumer of task launches that reports success at once). Use it as {@code try (Bench b =
 * Bench.start(options)) { b.run("chain"); }}, or {@link #runAll}.
 *
 * <p>Workloads (standard sizes, see {@link BenchSizes}): {@code chain} (200 tasks in a line; hop
 * latency and where it goes), {@code fanout} (1 → 1,000 → 1), {@code fanout-dynamic} (the same
 * shape, the middle one task with {@code forEach} over 1,000 items; see {@link DynamicFanout}),
 * {@code diamonds} (500 runs of a 4-task diamond started at once), {@code large} (one run of 100
 * layers of 100 tasks, each after 2 of the layer above; heap and largest changelog record), {@code
 * large_half} (50 layers), {@code xlarge} (1,000 layers of 100, the scheduler in a JVM of its own
 * under -Xmx512m), {@code sustained} (diamond runs requested at a fixed rate), {@code process} (1 →
 * 200 → 1 real {@code true} processes through two process executors, against a loop starting the
 * same processes) and {@code floor} (the broker's own produce-to-consume latency).
 */
public final class Bench implements AutoCloseable {
  /** The workloads, in the order {@link #runAll} runs them when none are named. */
  public static final List<String> WORKLOADS =
      List.of(
          "chain",
          "fanout",
          DynamicFanout.WORKLOAD,
          "diamonds",
          "large",
          "large_half",
          "xlarge",
          "sustained",
          "process",
          "floor");

  static final String APPLICATION_ID = "kontroler-bench";
  private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final Topics TOPICS = Topics.DEFAULT;

  private final BenchOptions options;
  private final Path dataDir;
  private final boolean temporary;
  private final EmbeddedKafka kafka;
  private final SchedulerHost scheduler;
  private final NoopExecutor executor;
  private final RunWatcher watcher;
  private final KafkaProducer<String, byte[]> producer;
  private final ChangelogSizes changelogs;
  private final Map<String, Integer> published = new HashMap<>();
  private Double lastHopP50;
  private int sequence;

  private Bench(BenchOptions options, Path dataDir, boolean temporary, boolean childScheduler) {
    this.options = options;
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.kafka = BrokerFeatures.start(dataDir, options.brokerOverrides());
    Map<String, String> flat = new LinkedHashMap<>();
    flat.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    flat.put("scheduler.application.id", APPLICATION_ID);
    flat.put("scheduler.state.dir", dataDir.resolve("streams").toString());
    flat.put("scheduler.partitions", String.valueOf(options.partitions()));
    flat.put("scheduler.processing.guarantee", options.processingGuarantee());
    if (!childScheduler) {
      flat.put("streams.main.consumer.interceptor.classes", SchedulerConsumerProbe.class.getName());
      flat.put("streams.producer.interceptor.classes", SchedulerProducerProbe.class.getName());
    }
    flat.putAll(options.schedulerOverrides());
    this.scheduler =
        childScheduler
            ? new ChildScheduler(flat, options.xlargeHeap(), schedulerLog())
            : new InProcessScheduler(SchedulerConfig.fromFlat(flat));
    Properties client = kafka.clientProperties();
    this.executor =
        new NoopExecutor(
            client, TOPICS.taskLaunches(), TOPICS.taskOutcomes(), options.partitions());
    this.watcher = new RunWatcher(client, TOPICS.runEvents(), options.partitions());
    this.changelogs = new ChangelogSizes(client, APPLICATION_ID);
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
  }

  /** The child scheduler's log: kept after the bench, which deletes its data directory. */
  private static Path schedulerLog() {
    try {
      return Files.createTempFile("kontroler-bench-scheduler-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the scheduler's log", e);
    }
  }

  /** Starts the broker, the scheduler (in this JVM) and the executor, and warms them up. */
  public static Bench start(BenchOptions options) {
    return start(options, false);
  }

  private static Bench start(BenchOptions options, boolean childScheduler) {
    try {
      boolean temporary = options.dataDir() == null;
      Path dir = temporary ? Files.createTempDirectory("kontroler-bench") : options.dataDir();
      if (childScheduler && !temporary) {
        dir = dir.resolve("xlarge");
      }
      Bench bench = new Bench(options, dir, temporary, childScheduler);
      if (options.warmUp() && !childScheduler) {
        bench.warmUp();
      }
      return bench;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the bench directory", e);
    }
  }

  /**
   * Runs {@code workloads} (all when empty), each {@code repetitions} times (xlarge and sustained
   * once); medians, in the order asked. xlarge runs on a broker of its own with the scheduler in a
   * child JVM; the floor is measured last. fanout-dynamic gets its ratio to fanout when both ran.
   */
  public static List<BenchResult> runAll(BenchOptions options, List<String> workloads) {
    List<String> names = workloads.isEmpty() ? WORKLOADS : workloads;
    names.forEach(Bench::check);
    Map<String, BenchResult> results = new HashMap<>();
    List<String> shared = names.stream().filter(n -> !n.equals("xlarge")).toList();
    if (!shared.isEmpty()) {
      try (Bench bench = start(options)) {
        for (String name : shared) {
          results.put(name, bench.runOrReport(name));
        }
      }
    }
    if (results.containsKey(DynamicFanout.WORKLOAD)) {
      results.put(
          DynamicFanout.WORKLOAD,
          DynamicFanout.withRatioToFanout(
              results.get(DynamicFanout.WORKLOAD), results.get("fanout")));
    }
    if (names.contains("xlarge")) {
      results.put("xlarge", xlarge(options));
    }
    return names.stream().map(results::get).toList();
  }

  private static BenchResult xlarge(BenchOptions options) {
    try (Bench bench = start(options, true)) {
      return bench.run("xlarge");
    } catch (RuntimeException e) {
      return failed("xlarge", options, e);
    }
  }

  /** Runs {@code workload}; one that does not complete is reported with why, and the rest run. */
  private BenchResult runOrReport(String workload) {
    try {
      return run(workload);
    } catch (RuntimeException e) {
      return failed(workload, options, e);
    }
  }

  private static BenchResult failed(String workload, BenchOptions options, RuntimeException e) {
    LOG.warn("{} did not complete", workload, e);
    return new BenchResult(workload, options.processingGuarantee(), Map.of(), e.getMessage());
  }

  /** Runs one workload {@code repetitions} times (xlarge, sustained: once); medians. */
  public BenchResult run(String workload) {
    check(workload);
    int times =
        workload.equals("xlarge") || workload.equals("sustained") ? 1 : options.repetitions();
    List<BenchResult> samples = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      BenchResult sample = runOnce(workload);
      LOG.info("{}", sample.toText());
      samples.add(sample);
    }
    BenchResult result = BenchResult.median(samples);
    if (workload.equals("chain")) {
      lastHopP50 = result.hopP50Ms();
    }
    return result;
  }

  private static void check(String workload) {
    if (!WORKLOADS.contains(workload)) {
      throw new IllegalArgumentException(
          "Expected a workload of " + WORKLOADS + ", but got '" + workload + "'");
    }
  }

  private BenchResult runOnce(String workload) {
    BenchSizes s = options.sizes();
    return switch (workload) {
      case "chain" -> chain(Shapes.chain(s.chain()));
      case "fanout" -> measure(workload, Shapes.fanout(s.fanout()), 1).result();
      case DynamicFanout.WORKLOAD -> dynamicFanout(s.fanout());
      case "diamonds" -> measure(workload, Shapes.diamond(), s.diamonds()).result();
      case "large" -> large(workload, Shapes.layered(s.largeLayers(), s.layerWidth()));
      case "large_half" -> large(workload, Shapes.layered(s.largeLayers() / 2, s.layerWidth()));
      case "xlarge" -> large(workload, Shapes.layered(s.xlargeLayers(), s.layerWidth()));
      case "sustained" -> new SustainedLoad(this).run(options.rate(), options.duration());
      case "process" -> new ProcessWorkload(this).run(s.processWidth());
      default -> floor();
    };
  }

  private void warmUp() {
    // The JIT needs thousands of round trips through broker, scheduler and executor before
    // latency settles; cold figures say little about the scheduler.
    // Lone hops take the prompt-commit path (a transaction per hop), bursts the interval's: both
    // paths, in scheduler and broker, need their share of the warm-up.
    int chain = Math.max(2, options.sizes().chain() * 3 / 2);
    for (int i = 0; i < 12; i++) {
      measure("warmup-chain", Shapes.chain(chain), 1);
    }
    measure("warmup-diamonds", Shapes.diamond(), Math.max(1, options.sizes().diamonds() * 3 / 5));
    measure("warmup-layered", Shapes.layered(20, options.sizes().layerWidth()), 1);
    // forEach instances take their own paths (expansion, item templates, the group's outcome).
    int items = Math.max(1, options.sizes().fanout() / 5);
    for (int i = 0; i < 3; i++) {
      measure("warmup-fanout-dynamic", DynamicFanout.spec(items), 1);
    }
    LOG.info("Bench warmed up");
  }

  /** What one measured batch of runs left: the figures every workload has, and its run ids. */
  record Measured(
      String workload, String guarantee, int tasks, long wallNanos, List<String> runIds) {
    BenchResult result() {
      return new BenchResult(workload, guarantee, figures(), null);
    }

    Map<String, Number> figures() {
      Map<String, Number> f = new LinkedHashMap<>();
      f.put(BenchResult.TASKS, (long) tasks);
      f.put(BenchResult.WALL_MS, Math.max(1, wallNanos / 1_000_000));
      f.put(BenchResult.TASKS_PER_S, tasks * 1e9 / wallNanos);
      return f;
    }
  }

  private BenchResult chain(DagSpec spec) {
    HopClock.arm(TOPICS.taskOutcomes(), TOPICS.taskLaunches());
    executor.forget(true);
    ClientMetrics before = ClientMetrics.read();
    BrokerRequests requestsBefore = BrokerRequests.read();
    Measured m;
    try {
      m = measure("chain", spec, 1);
    } finally {
      HopClock.disarm();
    }
    ClientMetrics during = ClientMetrics.read().since(before);
    BrokerRequests requests = BrokerRequests.read().since(requestsBefore);
    String runId = m.runIds().get(0);
    List<HopBreakdown.Hop> hops = new ArrayList<>();
    List<Double> millis = new ArrayList<>();
    for (int i = 1; i < spec.task().size(); i++) {
      String previous = spec.task().get(i - 1).name();
      String next = spec.task().get(i).name();
      HopBreakdown.Hop hop =
          new HopBreakdown.Hop(
              executor.succeededAt(runId, previous),
              HopClock.successReceived(runId, previous),
              HopClock.launchSent(runId, next),
              executor.launchedAt(runId, next));
      hops.add(hop);
      if (hop.successSent() != null && hop.launchReceived() != null) {
        millis.add((hop.launchReceived() - hop.successSent()) / 1e6);
      }
    }
    executor.forget(false);
    Map<String, Number> f = m.figures();
    f.put(BenchResult.HOP_P50_MS, Stats.percentile(millis, 50));
    f.put(BenchResult.HOP_MEAN_MS, Stats.mean(millis));
    f.put(BenchResult.HOP_P99_MS, Stats.percentile(millis, 99));
    f.putAll(HopBreakdown.of(hops, during));
    f.putAll(HopRequests.of(requests, hops.size()));
    LOG.info("chain: broker requests{}", HopRequests.describe(requests, hops.size()));
    LOG.info("chain: slowest hops {}", HopBreakdown.slowest(hops, 5));
    return new BenchResult("chain", options.processingGuarantee(), f, null);
  }

  /**
   * One run of fanout-dynamic. Its tasks are the launches the executor answered for the run: the
   * instances the scheduler created from the list, with start and end.
   */
  private BenchResult dynamicFanout(int width) {
    executor.countLaunchesOf(dagOf(DynamicFanout.WORKLOAD));
    Measured m = measure(DynamicFanout.WORKLOAD, DynamicFanout.spec(width), 1);
    int launched = executor.answeredLaunches(m.runIds());
    return new Measured(m.workload(), m.guarantee(), launched, m.wallNanos(), m.runIds()).result();
  }

  private BenchResult large(String workload, DagSpec spec) {
    // Marked before the DAG is published: its version is a changelog record like any other.
    Map<TopicPartition, Long> marks = changelogs.mark();
    publishOnce(dagOf(workload), spec);
    long baseline = HeapPeak.usedAfterGcBytes();
    HeapPeak.reset();
    scheduler.resetHeapPeak();
    Measured m = measure(workload, spec, 1);
    Map<String, Number> f = m.figures();
    Long childPeak = scheduler.heapPeakMb();
    f.put(BenchResult.HEAP_PEAK_MB, childPeak != null ? childPeak : HeapPeak.peakMb());
    if (childPeak == null) {
      f.put("heap_retained_mb", Math.max(0, (HeapPeak.usedAfterGcBytes() - baseline) >> 20));
    }
    f.put(BenchResult.MAX_RECORD_BYTES, changelogs.largestSince(marks));
    return new BenchResult(workload, options.processingGuarantee(), f, null);
  }

  private BenchResult floor() {
    KafkaFloor.Legs legs =
        KafkaFloor.measure(
            kafka.clientProperties(),
            options.sizes().floorSamples() / 4,
            options.sizes().floorSamples());
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("leg_p50_ms", legs.p50());
    f.put("leg_p99_ms", legs.p99());
    f.put("hop_p50_ms", lastHopP50);
    f.put("hop_over_2_legs", Stats.ratio(lastHopP50, 2 * legs.p50()));
    return new BenchResult("floor", null, f, null);
  }

  /** Requests {@code runs} runs of {@code spec} at once and waits until they all succeed. */
  Measured measure(String workload, DagSpec spec, int runs) {
    String dag = dagOf(workload);
    publishOnce(dag, spec);
    List<String> keys = new ArrayList<>(runs);
    int seq = ++sequence;
    for (int i = 0; i < runs; i++) {
      keys.add(workload + "-" + seq + "-" + i);
    }
    List<String> runIds = keys.stream().map(k -> RunIds.forRequest(dag, k)).toList();
    watcher.expect(runIds);
    long start = System.nanoTime();
    for (String key : keys) {
      request(dag, key);
    }
    producer.flush();
    awaitRuns(workload, runIds, RUN_TIMEOUT);
    long wallNanos = System.nanoTime() - start;
    return new Measured(
        workload, options.processingGuarantee(), spec.task().size() * runs, wallNanos, runIds);
  }

  /** The DAG a workload's runs are of. */
  static String dagOf(String workload) {
    return "bench/" + workload;
  }

  /** Sends the request of one run of {@code dag} named {@code key}; returns its run id. */
  String request(String dag, String key) {
    producer.send(
        new ProducerRecord<>(
            TOPICS.commands(),
            dag,
            MessageCodec.encode(new Inbound.RunRequested(dag, key, Map.of(), key, Instant.now()))));
    return RunIds.forRequest(dag, key);
  }

  int nextSequence() {
    return ++sequence;
  }

  BenchOptions options() {
    return options;
  }

  RunWatcher watcher() {
    return watcher;
  }

  NoopExecutor executor() {
    return executor;
  }

  KafkaProducer<String, byte[]> producer() {
    return producer;
  }

  Properties clientProperties() {
    return kafka.clientProperties();
  }

  Path dataDir() {
    return dataDir;
  }

  void awaitRuns(String workload, List<String> runIds, Duration timeout) {
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      boolean done = false;
      while (!done && System.nanoTime() < deadline) {
        done = watcher.await(Duration.ofSeconds(1));
        scheduler.checkAlive();
      }
      if (!done) {
        throw new IllegalStateException(
            "Expected the "
                + workload
                + " runs to end within "
                + timeout
                + ", but "
                + watcher.pending()
                + " did not");
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

  void publishOnce(String dag, DagSpec spec) {
    if (published.containsKey(dag)) {
      return;
    }
    // Submitted as the api and the ingest submit, on the default size policy: a DAG too large for
    // one record goes as its parts, then its head, and the scheduler numbers it.
    try {
      Inbound.DagSubmitted submitted =
          new Inbound.DagSubmitted(dag, spec, "bench-" + dag, Instant.now());
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (Inbound record : DagParts.submission(submitted)) {
        sent.add(
            producer.send(
                new ProducerRecord<>(TOPICS.commands(), dag, MessageCodec.encode(record))));
      }
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while submitting " + dag, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not submit " + dag + ": " + e.getCause(), e);
    }
    // xlarge's 38.8 MB arrive in some 150 parts: on a busy machine that takes a while
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (scheduler.dagVersion(dag) != 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The scheduler did not load DAG " + dag);
      }
      pause();
    }
    published.put(dag, 1);
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

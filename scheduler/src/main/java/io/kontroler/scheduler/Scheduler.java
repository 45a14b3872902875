package io.kontroler.scheduler;

import io.kontroler.broker.TopicSetup;
import io.kontroler.scheduler.topology.CommitPacing;
import io.kontroler.scheduler.topology.PlanCache;
import io.kontroler.scheduler.topology.SchedulerMetrics;
import io.kontroler.scheduler.topology.SchedulerTopology;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler: a Kafka Streams application that turns run requests and task outcomes into task
 * launches and run events. Instances with the same application id share the partitions (one
 * partition owns all runs of a DAG). {@link #start} returns once the streams are running.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** How long a failed stream thread keeps the scheduler not ready after it was replaced. */
  private static final Duration THREAD_FAILURE_MEMORY = Duration.ofSeconds(30);

  private final SchedulerConfig config;
  private final KafkaStreams streams;
  private final SchedulerMetrics metrics;
  private final SchedulerHealth health;
  private final SchedulerPrometheus prometheus;
  private final DeadInstanceFencer fencer;

  private Scheduler(
      SchedulerConfig config,
      KafkaStreams streams,
      SchedulerMetrics metrics,
      SchedulerHealth health,
      DeadInstanceFencer fencer) {
    this.config = config;
    this.streams = streams;
    this.metrics = metrics;
    this.health = health;
    this.fencer = fencer;
    this.prometheus = new SchedulerPrometheus(metrics, streams, this::ready);
  }

  /** The topology a scheduler with {@code config} runs. */
  public static Topology topology(SchedulerConfig config) {
    return topology(config, new SchedulerMetrics());
  }

  /** The topology a scheduler with {@code config} runs, counting in {@code metrics}. */
  public static Topology topology(SchedulerConfig config, SchedulerMetrics metrics) {
    return topology(config, metrics, config.partitions());
  }

  /**
   * The same, for a commands topic of {@code commandPartitions} partitions: a command a producer
   * put on another partition than Java's producer would (kcat's default hashing, say) is moved.
   */
  static Topology topology(
      SchedulerConfig config, SchedulerMetrics metrics, int commandPartitions) {
    return SchedulerTopology.build(
        config.topics(),
        config.inMemoryStores(),
        config.timerInterval(),
        config.finishedRunRetention(),
        CommitPacing.of(
            config.processingGuarantee().equals(StreamsConfig.EXACTLY_ONCE_V2),
            config.promptCommitMaxLag()),
        new PlanCache(1000, config.runLimits()),
        config.attemptLease(),
        metrics,
        commandPartitions,
        config.admissionLimits(),
        config.poolLease());
  }

  /** Creates the topics if configured, starts the streams and waits until they run. */
  public static Scheduler start(SchedulerConfig config) {
    LOG.info("Starting the scheduler with {}", config);
    if (config.createTopics()) {
      TopicSetup.ensureTopics(
          config.kafka(), config.topics(), config.partitions(), config.replicationFactor());
    }
    SchedulerMetrics metrics = new SchedulerMetrics();
    SchedulerHealth health = new SchedulerHealth(THREAD_FAILURE_MEMORY, System::currentTimeMillis);
    int commandPartitions =
        TopicSetup.partitionCount(config.kafka(), config.topics().commands())
            .orElseGet(
                () -> {
                  LOG.warn(
                      "Could not learn the partitions of {}; assuming scheduler.partitions ({})",
                      config.topics().commands(),
                      config.partitions());
                  return config.partitions();
                });
    KafkaStreams streams =
        new KafkaStreams(
            topology(config, metrics, commandPartitions), config.toStreamsProperties());
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("A scheduler stream thread failed; replacing it", e);
          metrics.streamThreadFailed();
          health.threadFailed(e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    DeadInstanceFencer fencer =
        new DeadInstanceFencer(
            config.kafka().clientProperties(),
            config.applicationId(),
            () -> localClientIds(streams));
    streams.setStateListener(
        (to, from) -> {
          if (to == KafkaStreams.State.ERROR || to == KafkaStreams.State.PENDING_ERROR) {
            LOG.error("The scheduler's streams went from {} to {}", from, to);
          }
          if (to == KafkaStreams.State.REBALANCING) {
            fencer.checkSoon();
          }
        });
    Scheduler scheduler = new Scheduler(config, streams, metrics, health, fencer);
    streams.start();
    try {
      scheduler.awaitRunning(Duration.ofSeconds(120));
    } catch (TimeoutException e) {
      scheduler.close();
      throw new IllegalStateException("The scheduler did not start: " + e.getMessage(), e);
    }
    return scheduler;
  }

  public SchedulerConfig config() {
    return config;
  }

  private static List<String> localClientIds(KafkaStreams streams) {
    return streams.metadataForLocalThreads().stream()
        .flatMap(
            t -> Stream.concat(Stream.of(t.consumerClientId()), t.producerClientIds().stream()))
        .toList();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Counters of internal errors, lost attempts and failed stream threads. */
  public SchedulerMetrics metrics() {
    return metrics;
  }

  /** The metrics served on {@code /metrics} beside the health endpoint. */
  public SchedulerPrometheus prometheus() {
    return prometheus;
  }

  /**
   * Why this scheduler is not ready (its streams are not RUNNING: rebalancing, stopped or in ERROR;
   * or a stream thread failed recently); empty when it is ready.
   */
  public List<String> problems() {
    return health.problems(streams.state());
  }

  /** Ready for readiness probes: no {@link #problems()}. */
  public boolean ready() {
    return problems().isEmpty();
  }

  /**
   * The latest version of {@code dag} that this instance's stores hold, or -1 when none of its
   * partitions knows the DAG (it is unknown, deleted, or owned by another instance).
   */
  public int dagVersion(String dag) {
    try {
      ReadOnlyKeyValueStore<String, ?> heads =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  SchedulerTopology.HEADS_STORE, QueryableStoreTypes.keyValueStore()));
      Object head = heads.get(dag);
      return head == null ? -1 : SchedulerTopology.liveVersion(head);
    } catch (InvalidStateStoreException e) {
      return -1;
    }
  }

  /**
   * The number of DAG partitions (stream tasks of the DAGs' sub-topology) this instance owns now.
   */
  public int activeTaskCount() {
    return activePartitions(config.topics().commands()).size();
  }

  /**
   * The partitions of {@code topic} (one of the scheduler's inputs) that this instance owns now:
   * for {@code topics.pools}, the pools it owns.
   */
  public java.util.Set<Integer> activePartitions(String topic) {
    java.util.Set<Integer> out = new java.util.TreeSet<>();
    streams.metadataForLocalThreads().stream()
        .flatMap(t -> t.activeTasks().stream())
        .flatMap(task -> task.topicPartitions().stream())
        .filter(tp -> tp.topic().equals(topic))
        .forEach(tp -> out.add(tp.partition()));
    return out;
  }

  /** Waits until the streams are RUNNING (they have their partitions and restored their state). */
  public void awaitRunning(Duration timeout) throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (streams.state().hasCompletedShutdown() || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("The scheduler stopped: " + streams.state());
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("Still " + streams.state() + " after " + timeout);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the scheduler", e);
      }
    }
  }

  /** Stops cleanly: commits, closes the stores and leaves the group. */
  @Override
  public void close() {
    close(CLOSE_TIMEOUT);
  }

  /** Stops, waiting at most {@code timeout} for the stream threads. */
  public void close(Duration timeout) {
    boolean stopped =
        streams.close(new KafkaStreams.CloseOptions().timeout(timeout).leaveGroup(true));
    fencer.close();
    LOG.info("Scheduler {}", stopped ? "stopped" : "still stopping after " + timeout);
  }
}

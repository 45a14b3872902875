package io.kontroler.scheduler;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.BOOL;
import static io.kontroler.core.config.ValueType.INT;
import static io.kontroler.core.config.ValueType.LONG;
import static io.kontroler.core.config.ValueType.MILLIS;
import static io.kontroler.core.config.ValueType.SHORT;
import static io.kontroler.core.config.ValueType.TEXT;
import static io.kontroler.core.config.ValueType.choice;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import io.kontroler.core.config.ValueType;
import io.kontroler.core.message.FinishedRuns;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunLimits;
import io.kontroler.scheduler.topology.AdmissionLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configuration of the scheduler. Every key is described once, in {@link #TABLE} ({@code kontroler
 * scheduler --help} and the README list them); {@code streams.*} keys are any Kafka Streams
 * property, applied last. {@link #toString()} masks secrets.
 */
public record SchedulerConfig(
    KafkaSettings kafka,
    String applicationId,
    Topics topics,
    int partitions,
    short replicationFactor,
    boolean createTopics,
    Path stateDir,
    String processingGuarantee,
    int numStreamThreads,
    Duration commitInterval,
    Duration pollInterval,
    Duration promptCommitMaxLag,
    int standbyReplicas,
    Duration timerInterval,
    Duration finishedRunRetention,
    boolean inMemoryStores,
    Duration attemptLease,
    Duration sessionTimeout,
    Duration heartbeatInterval,
    Duration maxPollInterval,
    Duration transactionTimeout,
    long acceptableRecoveryLag,
    Duration probingRebalanceInterval,
    RunLimits runLimits,
    AdmissionLimits admissionLimits,
    Map<String, String> streamsProperties,
    Duration poolLease) {

  public static final String STREAMS_PREFIX = "streams.";

  /** The attempt lease's key; executors and the scheduler must agree on it. */
  public static final String ATTEMPT_LEASE_KEY = "executor.attempt.lease.ms";

  public SchedulerConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(stateDir, "stateDir");
    if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
      throw new IllegalArgumentException(
          "Expected scheduler.heartbeat.interval.ms below scheduler.session.timeout.ms ("
              + sessionTimeout.toMillis()
              + "), but got "
              + heartbeatInterval.toMillis());
    }
    streamsProperties = Map.copyOf(Objects.requireNonNullElse(streamsProperties, Map.of()));
  }

  public static final ConfigKey<SchedulerConfig, String> APPLICATION_ID =
      key("scheduler.application.id", TEXT, "kontroler-scheduler")
          .readFrom(SchedulerConfig::applicationId)
          .doc(
              "The Kafka Streams application id; instances with the same id share the partitions.");
  public static final ConfigKey<SchedulerConfig, Integer> PARTITIONS =
      key("scheduler.partitions", INT.atLeast(1), "6")
          .readFrom(SchedulerConfig::partitions)
          .doc("Partitions of the topics when they are created.");
  public static final ConfigKey<SchedulerConfig, Short> REPLICATION_FACTOR =
      key("scheduler.replication.factor", SHORT.atLeast(1), "1")
          .readFrom(SchedulerConfig::replicationFactor)
          .doc("Replication of the topics and changelogs when they are created.");
  public static final ConfigKey<SchedulerConfig, Boolean> CREATE_TOPICS =
      key("scheduler.create.topics", BOOL, "true")
          .readFrom(SchedulerConfig::createTopics)
          .doc("Create missing topics at start.");
  public static final ConfigKey<SchedulerConfig, Path> STATE_DIR =
      key(
              "scheduler.state.dir",
              ValueType.of("path", Path::of, Path::toString),
              "kontroler-data/streams")
          .readFrom(SchedulerConfig::stateDir)
          .doc("Local state stores.");
  public static final ConfigKey<SchedulerConfig, String> PROCESSING_GUARANTEE =
      key(
              "scheduler.processing.guarantee",
              choice(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
              StreamsConfig.EXACTLY_ONCE_V2)
          .readFrom(SchedulerConfig::processingGuarantee)
          .doc("exactly_once_v2 or at_least_once.");
  public static final ConfigKey<SchedulerConfig, Integer> NUM_STREAM_THREADS =
      key("scheduler.num.stream.threads", INT.atLeast(1), "1")
          .readFrom(SchedulerConfig::numStreamThreads)
          .doc("Stream threads of this instance.");
  public static final ConfigKey<SchedulerConfig, Duration> COMMIT_INTERVAL =
      key("scheduler.commit.interval.ms", MILLIS.notNegative(), "20")
          .readFrom(SchedulerConfig::commitInterval)
          .doc(
              "How often state and output are committed. Under exactly-once a launch reaches executors only when its transaction commits (see scheduler.prompt.commit.max.lag.ms), and the producer holds records up to this long so that the commit sends a transaction's records together.");
  public static final ConfigKey<SchedulerConfig, Duration> PROMPT_COMMIT_MAX_LAG =
      key("scheduler.prompt.commit.max.lag.ms", MILLIS.notNegative(), "10")
          .readFrom(SchedulerConfig::promptCommitMaxLag)
          .doc(
              "Under exactly-once, while the scheduler keeps up (the record in hand was written at most this long ago), a launch or run phase change is committed at once instead of at the next interval; when it falls behind, records share the interval's commits.");
  public static final ConfigKey<SchedulerConfig, Duration> POLL =
      key("scheduler.poll.ms", MILLIS.notNegative(), "10")
          .readFrom(SchedulerConfig::pollInterval)
          .doc("How long an idle stream thread blocks waiting for input.");
  public static final ConfigKey<SchedulerConfig, Integer> STANDBY_REPLICAS =
      key("scheduler.standby.replicas", INT.atLeast(0), "0")
          .readFrom(SchedulerConfig::standbyReplicas)
          .doc(
              "Warm copies of the stores on other instances, so that a failover does not wait for a restore; set 1 wherever more than one instance runs (the Helm chart does).");
  public static final ConfigKey<SchedulerConfig, Duration> TIMER_INTERVAL =
      key("scheduler.timer.interval.ms", MILLIS.positive(), "100")
          .readFrom(SchedulerConfig::timerInterval)
          .doc("How often due timers (retry backoff, task deadlines) are fired.");
  public static final ConfigKey<SchedulerConfig, Boolean> IN_MEMORY_STORES =
      key("scheduler.in.memory.stores", BOOL, "true")
          .readFrom(SchedulerConfig::inMemoryStores)
          .doc(
              "Keep state in memory, restored from the changelogs at start; false for RocksDB, which holds more than the heap but makes each commit cost tens of milliseconds.");
  public static final ConfigKey<SchedulerConfig, Duration> ATTEMPT_LEASE =
      key(ATTEMPT_LEASE_KEY, MILLIS.positive(), "6000")
          .readFrom(SchedulerConfig::attemptLease)
          .doc(
              "An attempt (queued or running) whose executor was not heard of (heartbeat or acceptance) for longer than this is failed as lost, after a KillTask, and retried.");
  public static final ConfigKey<SchedulerConfig, Duration> SESSION_TIMEOUT =
      key("scheduler.session.timeout.ms", MILLIS.positive(), "6000")
          .readFrom(SchedulerConfig::sessionTimeout)
          .doc(
              "A dead instance's partitions move after at most this long (the broker's group.min.session.timeout.ms, 6000 by default, is the floor).");
  public static final ConfigKey<SchedulerConfig, Duration> HEARTBEAT_INTERVAL =
      key("scheduler.heartbeat.interval.ms", MILLIS.positive(), "1500")
          .readFrom(SchedulerConfig::heartbeatInterval)
          .doc("How often an instance tells the group it lives; below the session timeout.");
  public static final ConfigKey<SchedulerConfig, Duration> MAX_POLL_INTERVAL =
      key("scheduler.max.poll.interval.ms", MILLIS.positive(), "60000")
          .readFrom(SchedulerConfig::maxPollInterval)
          .doc("A stream thread that does not poll for this long (stuck) leaves the group.");
  public static final ConfigKey<SchedulerConfig, Duration> TRANSACTION_TIMEOUT =
      key("scheduler.transaction.timeout.ms", MILLIS.positive(), "7000")
          .readFrom(SchedulerConfig::transactionTimeout)
          .doc(
              "Under exactly-once, how long a transaction may stay open; the broker aborts a dead instance's open transaction after it, and committed readers wait until then. Must exceed the session timeout.");
  public static final ConfigKey<SchedulerConfig, Long> ACCEPTABLE_RECOVERY_LAG =
      key("scheduler.acceptable.recovery.lag", LONG.atLeast(0), "10000")
          .readFrom(SchedulerConfig::acceptableRecoveryLag)
          .doc(
              "How far behind (records) a standby may be and still take over a partition at once.");
  public static final ConfigKey<SchedulerConfig, Duration> PROBING_REBALANCE_INTERVAL =
      key("scheduler.probing.rebalance.interval.ms", MILLIS.positive(), "60000")
          .readFrom(SchedulerConfig::probingRebalanceInterval)
          .doc(
              "How often, while a warm-up copy catches up, the group checks whether it can take over.");

  public static final ConfigKey<RunLimits, Integer> MAX_FOREACH_ITEMS =
      key("scheduler.max.foreach.items", INT.atLeast(0), "10000")
          .readFrom(RunLimits::maxForEachItems)
          .doc(
              "The most items a forEach task may fan out over; a longer list fails the task, saying so.");
  public static final ConfigKey<RunLimits, Integer> MAX_SUBDAG_DEPTH =
      key("scheduler.max.subdag.depth", INT.atLeast(0), "10")
          .readFrom(RunLimits::maxSubDagDepth)
          .doc(
              "The deepest chain of sub-DAG runs (a child of a top-level run is at depth 1); a dagRef task whose child would be deeper fails.");

  public static final ConfigKey<AdmissionLimits, Integer> MAX_WAITING_RUNS =
      key("scheduler.max.waiting.runs", INT.atLeast(0), "10000")
          .readFrom(AdmissionLimits::maxWaitingRuns)
          .doc(
              "The most runs of one DAG that wait for a place under its maxActiveRuns; a run asked for beyond it is rejected, saying so.");
  public static final ConfigKey<AdmissionLimits, Integer> MAX_BACKFILL_SLOTS =
      key("scheduler.max.backfill.slots", INT.atLeast(0), "1000")
          .readFrom(AdmissionLimits::maxBackfillSlots)
          .doc(
              "The most cron slots one backfill may cover; a backfill of a longer range is rejected, saying so.");

  public static final ConfigKey<SchedulerConfig, Duration> POOL_LEASE =
      key("scheduler.pool.lease.ms", MILLIS.positive(), "60000")
          .readFrom(SchedulerConfig::poolLease)
          .doc(
              "How long a slot of a shared pool stays held without a renewal; the holder's DAG partition renews it every third of this while the attempt is active. A slot whose holder's outcome never comes (its run failed as INTERNAL, a record lost) is free again after at most this long.");

  /** Every key of the scheduler. */
  public static final ConfigTable<SchedulerConfig> TABLE =
      ConfigTable.<SchedulerConfig>of()
          .with(KafkaSettings.TABLE, SchedulerConfig::kafka)
          .with(
              ConfigTable.of(
                  APPLICATION_ID,
                  PARTITIONS,
                  REPLICATION_FACTOR,
                  CREATE_TOPICS,
                  STATE_DIR,
                  PROCESSING_GUARANTEE,
                  NUM_STREAM_THREADS,
                  COMMIT_INTERVAL,
                  PROMPT_COMMIT_MAX_LAG,
                  POLL,
                  STANDBY_REPLICAS,
                  TIMER_INTERVAL,
                  IN_MEMORY_STORES,
                  ATTEMPT_LEASE,
                  SESSION_TIMEOUT,
                  HEARTBEAT_INTERVAL,
                  MAX_POLL_INTERVAL,
                  TRANSACTION_TIMEOUT,
                  ACCEPTABLE_RECOVERY_LAG,
                  PROBING_REBALANCE_INTERVAL),
              c -> c)
          .with(ConfigTable.of(MAX_FOREACH_ITEMS, MAX_SUBDAG_DEPTH), SchedulerConfig::runLimits)
          .with(
              ConfigTable.of(MAX_WAITING_RUNS, MAX_BACKFILL_SLOTS),
              SchedulerConfig::admissionLimits)
          .with(ConfigTable.of(POOL_LEASE), c -> c)
          .with(FinishedRuns.TABLE, SchedulerConfig::finishedRunRetention)
          .with(Topics.TABLE, SchedulerConfig::topics)
          .withPassThrough(
              STREAMS_PREFIX,
              "Any Kafka Streams property, applied last.",
              SchedulerConfig::streamsProperties);

  /** All defaults, reaching Kafka at {@code bootstrapServers}. */
  public static SchedulerConfig defaults(String bootstrapServers) {
    return fromFlat(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), bootstrapServers));
  }

  /** Reads the keys of {@link #TABLE}; absent keys take their defaults. */
  public static SchedulerConfig fromFlat(Map<String, String> config) {
    ConfigValues v = TABLE.require(config);
    return new SchedulerConfig(
        KafkaSettings.from(v),
        v.get(APPLICATION_ID),
        Topics.from(v),
        v.get(PARTITIONS),
        v.get(REPLICATION_FACTOR),
        v.get(CREATE_TOPICS),
        v.get(STATE_DIR),
        v.get(PROCESSING_GUARANTEE),
        v.get(NUM_STREAM_THREADS),
        v.get(COMMIT_INTERVAL),
        v.get(POLL),
        v.get(PROMPT_COMMIT_MAX_LAG),
        v.get(STANDBY_REPLICAS),
        v.get(TIMER_INTERVAL),
        v.get(FinishedRuns.RETENTION),
        v.get(IN_MEMORY_STORES),
        v.get(ATTEMPT_LEASE),
        v.get(SESSION_TIMEOUT),
        v.get(HEARTBEAT_INTERVAL),
        v.get(MAX_POLL_INTERVAL),
        v.get(TRANSACTION_TIMEOUT),
        v.get(ACCEPTABLE_RECOVERY_LAG),
        v.get(PROBING_REBALANCE_INTERVAL),
        new RunLimits(v.get(MAX_FOREACH_ITEMS), v.get(MAX_SUBDAG_DEPTH)),
        new AdmissionLimits(v.get(MAX_WAITING_RUNS), v.get(MAX_BACKFILL_SLOTS)),
        v.under(STREAMS_PREFIX),
        v.get(POOL_LEASE));
  }

  /** The Kafka Streams properties this configuration stands for. */
  public Properties toStreamsProperties() {
    Properties p = kafka.clientProperties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, numStreamThreads);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    p.put(StreamsConfig.POLL_MS_CONFIG, pollInterval.toMillis());
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
    // The inputs are independent streams of commands: never hold one back to align timestamps.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), lingerMs());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // A new transaction may start while the markers of the previous one are still being written
    // (CONCURRENT_TRANSACTIONS): retry within milliseconds, not the default 100 ms.
    p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 2);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 100);
    // A run of 10,000 tasks keeps about 5 MB of task states hot; with the default 10 MB shared by
    // all stores the cache would evict and rewrite them, making large runs cost more per task.
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
    // The size policy of every topic and changelog (a DAG version is the largest record).
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        topics.maxMessageBytes());
    // Failover: how soon a dead instance is noticed, and how soon its open transaction stops
    // blocking the readers of what it wrote (see the keys' documentation for what each costs).
    // Unprefixed, so that a streams.* (or streams.consumer.*) property overrides them.
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) heartbeatInterval.toMillis());
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxPollInterval.toMillis());
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
    p.put(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, acceptableRecoveryLag);
    p.put(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG, probingRebalanceInterval.toMillis());
    p.putAll(streamsProperties);
    return p;
  }

  /**
   * How long the stream threads' producer holds records before sending them. Under exactly-once
   * nothing it writes is visible before its transaction commits, and the commit flushes whatever
   * waits: holding records until then sends a transaction's launch, changelog and run-event records
   * as one produce request per broker, so each partition leader asks the coordinator to add its
   * partitions to the transaction once, where records sent at once make a second produce and a
   * second such round trip, one after the other, on the way to every commit. At least once, a
   * record is visible once written: send at once.
   */
  long lingerMs() {
    return StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee)
        ? commitInterval.toMillis()
        : 0;
  }

  /** A copy with other flat keys applied on top of this configuration's own values. */
  public SchedulerConfig with(Map<String, String> overrides) {
    return fromFlat(TABLE.merged(this, overrides));
  }

  @Override
  public String toString() {
    return TABLE.show("SchedulerConfig", this);
  }
}

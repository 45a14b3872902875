package io.kontroler.scheduler;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.core.message.FinishedRuns;
import io.kontroler.core.message.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configuration of the scheduler. From flat configuration ({@link #fromFlat}) the keys and their
 * defaults are:
 *
 * <ul>
 *   <li>{@code kafka.bootstrap.servers} (localhost:9092) and any {@code kafka.*} client property,
 *       passed to every Kafka client
 *   <li>{@code scheduler.application.id} (kontroler-scheduler): the Streams application id; its
 *       instances share the work
 *   <li>{@code scheduler.partitions} (6): partitions of the topics when they are created
 *   <li>{@code scheduler.replication.factor} (1): replication of the topics when created
 *   <li>{@code scheduler.create.topics} (true): create missing topics at start
 *   <li>{@code scheduler.state.dir} (./kontroler-data/streams): local state stores
 *   <li>{@code scheduler.processing.guarantee} (exactly_once_v2; or at_least_once)
 *   <li>{@code scheduler.num.stream.threads} (1)
 *   <li>{@code scheduler.commit.interval.ms} (20): how often state and output are committed. Under
 *       exactly-once, a launch reaches executors only when its transaction commits; see the next
 *       keys for when a commit comes sooner
 *   <li>{@code scheduler.prompt.commit.max.lag.ms} (10): under exactly-once, while the scheduler
 *       keeps up with its input (the record in hand was written at most this long ago), a launch or
 *       run phase change is committed at once instead of at the next interval; when it falls
 *       behind, records share the interval's commits (see {@code CommitPacing})
 *   <li>{@code scheduler.poll.ms} (10): how long an idle stream thread blocks waiting for input
 *   <li>{@code scheduler.standby.replicas} (0): warm copies of the stores on other instances, so
 *       that a failover does not wait for a restore; set 1 wherever more than one instance runs
 *       (the Helm chart does)
 *   <li>{@code scheduler.timer.interval.ms} (100): how often due timers (retry backoff, task
 *       deadlines) are fired
 *   <li>{@code scheduler.finished.run.retention.ms} (604800000, 7 days): how long the scheduler
 *       keeps a finished run's state, within which it can be retried and late outcomes are
 *       recognised; the run history in the api is kept regardless
 *   <li>{@code scheduler.in.memory.stores} (true): keep state in memory, restored from the
 *       changelog topics at start; false for RocksDB, which holds more state than the heap but
 *       flushes its memtables at every commit, making each commit cost tens of milliseconds
 *   <li>{@code executor.attempt.lease.ms} (6000): an attempt (queued or running) whose executor was
 *       not heard of (heartbeat or acceptance) for longer than this is failed as lost, after a
 *       KillTask, and retried
 *   <li>{@code scheduler.session.timeout.ms} (6000) and {@code scheduler.heartbeat.interval.ms}
 *       (1500): the consumer group's failure detection; a dead instance's partitions move after at
 *       most the session timeout (the broker's {@code group.min.session.timeout.ms}, 6000 by
 *       default, is the floor)
 *   <li>{@code scheduler.max.poll.interval.ms} (60000): a stream thread that does not poll for this
 *       long (stuck) leaves the group and its partitions move
 *   <li>{@code scheduler.transaction.timeout.ms} (7000): under exactly-once, how long a transaction
 *       may stay open; the broker aborts a dead instance's open transaction after it, and until
 *       then consumers that read committed (executors, the new owner's restore) wait at it. Must
 *       exceed the session timeout, or a survivor that cannot commit during a rebalance has its own
 *       transaction aborted
 *   <li>{@code scheduler.acceptable.recovery.lag} (10000): how far behind (records) a standby may
 *       be and still take over a partition at once, rather than warming up while the old owner
 *       keeps it
 *   <li>{@code scheduler.probing.rebalance.interval.ms} (60000): how often, while a warm-up copy
 *       catches up, the group checks whether it can take over
 *   <li>{@code topics.dags}, {@code topics.commands}, {@code topics.task-launches}, {@code
 *       topics.task-outcomes}, {@code topics.run-events}, {@code topics.dead-letters}: topic names,
 *       defaults in {@link Topics#DEFAULT}
 *   <li>{@code topics.max.message.bytes} (1048576): the largest record on every topic and store
 *       changelog, applied when topics are created, checked on those that exist, and the producer's
 *       {@code max.request.size}
 *   <li>{@code streams.*}: any Kafka Streams property, applied last
 * </ul>
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
    Map<String, String> streamsProperties) {

  public static final String STREAMS_PREFIX = "streams.";

  /** The attempt lease's key; executors and the scheduler must agree on it. */
  public static final String ATTEMPT_LEASE_KEY = "executor.attempt.lease.ms";

  public SchedulerConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(stateDir, "stateDir");
    if (applicationId == null || applicationId.isBlank()) {
      throw new IllegalArgumentException("Expected an application id, but got none");
    }
    if (!processingGuarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)
        && !processingGuarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
      throw new IllegalArgumentException(
          "Expected processing guarantee exactly_once_v2 or at_least_once, but got "
              + processingGuarantee);
    }
    if (partitions < 1 || numStreamThreads < 1 || standbyReplicas < 0 || replicationFactor < 1) {
      throw new IllegalArgumentException(
          "Expected partitions, threads and replication factor >= 1 and standby replicas >= 0");
    }
    positive(commitInterval, "commit interval", true);
    positive(pollInterval, "poll interval", true);
    positive(promptCommitMaxLag, "prompt commit max lag", true);
    positive(timerInterval, "timer interval", false);
    positive(finishedRunRetention, "finished run retention", false);
    positive(attemptLease, "attempt lease", false);
    positive(sessionTimeout, "session timeout", false);
    positive(heartbeatInterval, "heartbeat interval", false);
    positive(maxPollInterval, "max poll interval", false);
    positive(transactionTimeout, "transaction timeout", false);
    positive(probingRebalanceInterval, "probing rebalance interval", false);
    if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
      throw new IllegalArgumentException(
          "Expected a heartbeat interval below the session timeout "
              + sessionTimeout.toMillis()
              + " ms, but got "
              + heartbeatInterval.toMillis()
              + " ms");
    }
    if (acceptableRecoveryLag < 0) {
      throw new IllegalArgumentException(
          "Expected an acceptable recovery lag >= 0, but got " + acceptableRecoveryLag);
    }
    streamsProperties = Map.copyOf(Objects.requireNonNullElse(streamsProperties, Map.of()));
  }

  /** All defaults, reaching Kafka at {@code bootstrapServers}. */
  public static SchedulerConfig defaults(String bootstrapServers) {
    return fromFlat(Map.of(KafkaSettings.PREFIX + "bootstrap.servers", bootstrapServers));
  }

  /** Reads the keys listed on this type; absent keys take their defaults. */
  public static SchedulerConfig fromFlat(Map<String, String> config) {
    Map<String, String> c = new HashMap<>(config);
    Map<String, String> streams = new TreeMap<>();
    c.forEach(
        (k, v) -> {
          if (k.startsWith(STREAMS_PREFIX)) {
            streams.put(k.substring(STREAMS_PREFIX.length()), v);
          }
        });
    Topics topics = Topics.fromFlat(c);
    return new SchedulerConfig(
        KafkaSettings.fromFlat(c, "localhost:9092"),
        c.getOrDefault("scheduler.application.id", "kontroler-scheduler"),
        topics,
        Integer.parseInt(c.getOrDefault("scheduler.partitions", "6")),
        Short.parseShort(c.getOrDefault("scheduler.replication.factor", "1")),
        Boolean.parseBoolean(c.getOrDefault("scheduler.create.topics", "true")),
        Path.of(c.getOrDefault("scheduler.state.dir", "kontroler-data/streams")),
        c.getOrDefault("scheduler.processing.guarantee", StreamsConfig.EXACTLY_ONCE_V2),
        Integer.parseInt(c.getOrDefault("scheduler.num.stream.threads", "1")),
        millis(c, "scheduler.commit.interval.ms", "20"),
        millis(c, "scheduler.poll.ms", "10"),
        millis(c, "scheduler.prompt.commit.max.lag.ms", "10"),
        Integer.parseInt(c.getOrDefault("scheduler.standby.replicas", "0")),
        millis(c, "scheduler.timer.interval.ms", "100"),
        FinishedRuns.retention(c),
        Boolean.parseBoolean(c.getOrDefault("scheduler.in.memory.stores", "true")),
        millis(c, ATTEMPT_LEASE_KEY, "6000"),
        millis(c, "scheduler.session.timeout.ms", "6000"),
        millis(c, "scheduler.heartbeat.interval.ms", "1500"),
        millis(c, "scheduler.max.poll.interval.ms", "60000"),
        millis(c, "scheduler.transaction.timeout.ms", "7000"),
        Long.parseLong(c.getOrDefault("scheduler.acceptable.recovery.lag", "10000")),
        millis(c, "scheduler.probing.rebalance.interval.ms", "60000"),
        streams);
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
    // Launches must leave at once; a commit flushes them anyway.
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
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

  /** A copy with other flat keys applied on top of this configuration's own values. */
  public SchedulerConfig with(Map<String, String> overrides) {
    Map<String, String> flat = new HashMap<>(toFlat());
    flat.putAll(overrides);
    return fromFlat(flat);
  }

  /** This configuration as flat keys (secrets included: do not log; see {@link #toString()}). */
  public Map<String, String> toFlat() {
    Map<String, String> f = new TreeMap<>();
    kafka.properties().forEach((k, v) -> f.put(KafkaSettings.PREFIX + k, v));
    f.put(KafkaSettings.PREFIX + "bootstrap.servers", kafka.bootstrapServers());
    f.put("scheduler.application.id", applicationId);
    f.put("scheduler.partitions", String.valueOf(partitions));
    f.put("scheduler.replication.factor", String.valueOf(replicationFactor));
    f.put("scheduler.create.topics", String.valueOf(createTopics));
    f.put("scheduler.state.dir", stateDir.toString());
    f.put("scheduler.processing.guarantee", processingGuarantee);
    f.put("scheduler.num.stream.threads", String.valueOf(numStreamThreads));
    f.put("scheduler.commit.interval.ms", String.valueOf(commitInterval.toMillis()));
    f.put("scheduler.poll.ms", String.valueOf(pollInterval.toMillis()));
    f.put("scheduler.prompt.commit.max.lag.ms", String.valueOf(promptCommitMaxLag.toMillis()));
    f.put("scheduler.standby.replicas", String.valueOf(standbyReplicas));
    f.put("scheduler.timer.interval.ms", String.valueOf(timerInterval.toMillis()));
    f.put(FinishedRuns.RETENTION_KEY, String.valueOf(finishedRunRetention.toMillis()));
    f.put("scheduler.in.memory.stores", String.valueOf(inMemoryStores));
    f.put(ATTEMPT_LEASE_KEY, String.valueOf(attemptLease.toMillis()));
    f.put("scheduler.session.timeout.ms", String.valueOf(sessionTimeout.toMillis()));
    f.put("scheduler.heartbeat.interval.ms", String.valueOf(heartbeatInterval.toMillis()));
    f.put("scheduler.max.poll.interval.ms", String.valueOf(maxPollInterval.toMillis()));
    f.put("scheduler.transaction.timeout.ms", String.valueOf(transactionTimeout.toMillis()));
    f.put("scheduler.acceptable.recovery.lag", String.valueOf(acceptableRecoveryLag));
    f.put(
        "scheduler.probing.rebalance.interval.ms",
        String.valueOf(probingRebalanceInterval.toMillis()));
    f.put("topics.dags", topics.dags());
    f.put("topics.commands", topics.commands());
    f.put("topics.task-launches", topics.taskLaunches());
    f.put("topics.task-outcomes", topics.taskOutcomes());
    f.put("topics.run-events", topics.runEvents());
    f.put("topics.dead-letters", topics.deadLetters());
    f.put(Topics.MAX_MESSAGE_BYTES_KEY, String.valueOf(topics.maxMessageBytes()));
    streamsProperties.forEach((k, v) -> f.put(STREAMS_PREFIX + k, v));
    return f;
  }

  @Override
  public String toString() {
    Map<String, String> masked = new TreeMap<>();
    toFlat().forEach((k, v) -> masked.put(k, KafkaSettings.isSecret(k) ? "******" : v));
    return "SchedulerConfig" + masked;
  }

  private static Duration millis(Map<String, String> c, String key, String def) {
    return Duration.ofMillis(Long.parseLong(c.getOrDefault(key, def)));
  }

  private static void positive(Duration d, String what, boolean zeroAllowed) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || (!zeroAllowed && d.isZero())) {
      throw new IllegalArgumentException("Expected a positive " + what + ", but got " + d);
    }
  }
}

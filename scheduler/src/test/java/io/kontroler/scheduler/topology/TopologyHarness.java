package io.kontroler.scheduler.topology;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.ExecutorHeartbeat;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The scheduler topology on a TopologyTestDriver, with helpers to talk to it in messages. */
final class TopologyHarness implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final List<String> STORES =
      List.of(
          RunStores.RUNS,
          RunStores.TASKS,
          RunStores.TIMERS,
          RunStores.HEADS,
          RunStores.VERSIONS,
          RunStores.EXPIRIES,
          AttemptLeases.EXECUTORS,
          AttemptLeases.HOLDERS);
  static final Duration RETENTION = Duration.ofHours(1);
  final TopologyTestDriver driver;
  private final TestInputTopic<String, byte[]> dags;
  private final TestInputTopic<String, byte[]> commands;
  private final TestInputTopic<String, byte[]> outcomes;
  private final TestInputTopic<String, byte[]> pools;
  private final TestOutputTopic<String, byte[]> launches;
  private final TestOutputTopic<String, byte[]> runEvents;
  private final TestOutputTopic<String, byte[]> deadLetters;
  private final TestOutputTopic<String, byte[]> catalog;
  static final Duration LEASE = Duration.ofMillis(6000);
  final SchedulerMetrics metrics = new SchedulerMetrics();
  private final List<Object> allRunEvents = new ArrayList<>();

  /**
   * The wall clock as {@link #advance} moves it: outcomes are stamped with it, as the broker stamps
   * them when it appends them ({@code LogAppendTime}).
   */
  private Instant wall;

  TopologyHarness() {
    this(T0);
  }

  /** A scheduler whose stream task starts at {@code start} on the wall clock. */
  TopologyHarness(Instant start) {
    this(start, AdmissionLimits.DEFAULT);
  }

  /** A scheduler with other admission limits. */
  TopologyHarness(AdmissionLimits limits) {
    this(T0, limits);
  }

  TopologyHarness(Instant start, AdmissionLimits limits) {
    this.wall = start;
    Topics topics = Topics.DEFAULT;
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "scheduler-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver =
        new TopologyTestDriver(
            SchedulerTopology.build(
                topics,
                true,
                Duration.ofMillis(100),
                RETENTION,
                new CommitPacing(true, Duration.ofMillis(10)),
                new PlanCache(10),
                LEASE,
                metrics,
                0,
                limits),
            props,
            start);
    StringSerializer keys = new StringSerializer();
    ByteArraySerializer values = new ByteArraySerializer();
    dags = driver.createInputTopic(topics.dags(), keys, values, T0, Duration.ZERO);
    commands = driver.createInputTopic(topics.commands(), keys, values, T0, Duration.ZERO);
    outcomes = driver.createInputTopic(topics.taskOutcomes(), keys, values, T0, Duration.ZERO);
    pools = driver.createInputTopic(topics.pools(), keys, values, T0, Duration.ZERO);
    StringDeserializer keysIn = new StringDeserializer();
    ByteArrayDeserializer valuesIn = new ByteArrayDeserializer();
    launches = driver.createOutputTopic(topics.taskLaunches(), keysIn, valuesIn);
    runEvents = driver.createOutputTopic(topics.runEvents(), keysIn, valuesIn);
    deadLetters = driver.createOutputTopic(topics.deadLetters(), keysIn, valuesIn);
    catalog = driver.createOutputTopic(topics.dags(), keysIn, valuesIn);
  }

  void publish(String dag, int version, DagSpec spec) {
    dags.pipeInput(dag, MessageCodec.encode(new Catalog.DagPublished(dag, version, spec, T0)));
  }

  void delete(String dag) {
    dags.pipeInput(dag, MessageCodec.encode(new Catalog.DagDeleted(dag, T0)));
  }

  void request(String dag, String idempotencyKey) {
    request(dag, idempotencyKey, Map.of());
  }

  void request(String dag, String idempotencyKey, Map<String, ParameterValue> parameters) {
    commands.pipeInput(
        dag,
        MessageCodec.encode(
            new Inbound.RunRequested(
                dag, "run-" + idempotencyKey, parameters, idempotencyKey, T0)));
  }

  /** Submits {@code spec} as the DAG's next version, as the api or the ingest would. */
  void submit(String dag, DagSpec spec, String submissionId) {
    command(dag, new Inbound.DagSubmitted(dag, spec, submissionId, T0));
  }

  /** Asks for a run as the DAG's cron schedule would. */
  void scheduled(String dag, String idempotencyKey) {
    command(
        dag,
        new Inbound.RunRequested(
            dag, "run-" + idempotencyKey, Map.of(), idempotencyKey, T0, RunRequested.SCHEDULE));
  }

  /** Records the scheduler published on the DAG catalog since the last call. */
  List<KeyValue<String, Catalog>> catalog() {
    return catalog.readKeyValuesToList().stream()
        .map(kv -> KeyValue.pair(kv.key, decode(kv.value, Catalog.class)))
        .toList();
  }

  <V> V stored(String store, String key) {
    return driver.<String, V>getKeyValueStore(store).get(key);
  }

  void command(String key, Object message) {
    commands.pipeInput(key, MessageCodec.encode(message));
  }

  void rawCommand(String key, String value) {
    commands.pipeInput(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  void outcome(RunEvent event) {
    outcomes.pipeInput(event.dag(), MessageCodec.encode(event), wall);
  }

  /** Moves the wall clock on by {@code d}, firing the wall-clock punctuators that are due. */
  void advance(Duration d) {
    wall = wall.plus(d);
    driver.advanceWallClockTime(d);
  }

  /**
   * A heartbeat of {@code executor} appended at {@code appendedAt} and read now: a scheduler that
   * reads its partition late.
   */
  void heartbeatAppendedAt(String executor, Instant appendedAt) {
    ExecutorHeartbeat beat = new ExecutorHeartbeat(executor, appendedAt);
    outcomes.pipeInput(beat.key(), MessageCodec.encode(beat), appendedAt);
  }

  /** A heartbeat of {@code executor}, as every executor sends to every partition. */
  void heartbeat(String executor) {
    heartbeatAppendedAt(executor, wall);
  }

  /** {@code executor} takes the attempt {@code launch} stands for. */
  void accept(LaunchTask launch, String executor) {
    outcome(
        new RunEvent.TaskAccepted(
            launch.runId(), launch.dag(), launch.task(), launch.attempt(), executor, T0));
  }

  /** What a store holds now, entry by entry. */
  Map<Object, Object> contents(String store) {
    Map<Object, Object> out = new LinkedHashMap<>();
    try (KeyValueIterator<Object, Object> it = driver.getKeyValueStore(store).all()) {
      it.forEachRemaining(kv -> out.put(kv.key, kv.value));
    }
    return out;
  }

  /** Puts what {@code other}'s stores hold into this one's, as a restore from changelogs would. */
  void restoreFrom(TopologyHarness other) {
    for (String store : STORES) {
      KeyValueStore<Object, Object> mine = driver.getKeyValueStore(store);
      other.contents(store).forEach(mine::put);
    }
  }

  /** Writes {@code message} to the pools topic, keyed by its pool, as an admin or a DAG would. */
  void pool(io.kontroler.core.message.PoolMessage message) {
    pools.pipeInput(message.pool(), MessageCodec.encode(message), wall);
  }

  void rawPool(String key, String value) {
    pools.pipeInput(key, value.getBytes(StandardCharsets.UTF_8), wall);
  }

  void rawOutcome(String key, String value) {
    outcomes.pipeInput(key, value.getBytes(StandardCharsets.UTF_8), wall);
  }

  /** Reports the attempt started and succeeded, as an executor would. */
  void succeed(LaunchTask launch) {
    outcome(
        new RunEvent.TaskStarted(
            launch.runId(), launch.dag(), launch.task(), launch.attempt(), T0));
    outcome(
        new RunEvent.TaskSucceeded(
            launch.runId(), launch.dag(), launch.task(), launch.attempt(), T0));
  }

  /** Executor commands published since the last call. */
  List<RunCommand> executorCommands() {
    List<RunCommand> out = new ArrayList<>();
    for (byte[] value : launches.readValuesToList()) {
      out.add(decode(value, RunCommand.class));
    }
    return out;
  }

  List<LaunchTask> launches() {
    return executorCommands().stream()
        .filter(LaunchTask.class::isInstance)
        .map(LaunchTask.class::cast)
        .toList();
  }

  /** Run events published since the last call (also kept for {@link #allRunEvents()}). */
  List<Object> runEvents() {
    List<Object> out = new ArrayList<>();
    for (byte[] value : runEvents.readValuesToList()) {
      out.add(decode(value, Object.class));
    }
    allRunEvents.addAll(out);
    return out;
  }

  List<Object> allRunEvents() {
    runEvents();
    return allRunEvents;
  }

  List<DeadLetter> deadLetters() {
    return deadLetters.readValuesToList().stream().map(v -> decode(v, DeadLetter.class)).toList();
  }

  /** Completes every launch, as an instant executor, until no launch is left. */
  int drive() {
    int launched = 0;
    List<LaunchTask> batch = launches();
    while (!batch.isEmpty()) {
      launched += batch.size();
      batch.forEach(this::succeed);
      batch = launches();
    }
    return launched;
  }

  private static <T> T decode(byte[] value, Class<T> type) {
    try {
      return MessageCodec.decode(value, type);
    } catch (Exception e) {
      throw new AssertionError("Expected a message, but " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    driver.close();
  }
}

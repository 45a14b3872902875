package io.kontroler.scheduler.topology;

import io.kontroler.core.message.Topics;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The scheduler's topology: three sources (DAG catalog, commands, task outcomes), all keyed by DAG
 * and co-partitioned (executor heartbeats come on every partition of the outcomes), one processor
 * each sharing the state stores, and four sinks (task launches, run events, dead letters, and the
 * DAG catalog, where the commands processor publishes the versions it numbers), all keyed by DAG.
 * Values are read as bytes and decoded by the processors, so a record that is not a message goes to
 * the dead letters instead of stopping the stream. The DAG processors also send slot requests,
 * releases and renewals to {@code kontroler.pools}, keyed by pool name, which a second sub-topology
 * of its own reads: the owner of shared pools ({@link PoolProcessor}).
 */
public final class SchedulerTopology {
  static final String LAUNCHES_SINK = "task-launches-sink";
  static final String RUN_EVENTS_SINK = "run-events-sink";
  static final String DEAD_LETTERS_SINK = "dead-letters-sink";
  static final String DAGS_SINK = "dags-sink";
  static final String COMMANDS_SINK = "commands-sink";
  static final String POOLS_SINK = "pools-sink";
  static final String GRANTS_SINK = "pool-grants-sink";
  static final String POOL_STATUS_SINK = "pool-status-sink";
  static final String POOL_DEAD_LETTERS_SINK = "pool-dead-letters-sink";

  /** {@code scheduler.pool.lease.ms}'s default. */
  public static final Duration DEFAULT_POOL_LEASE = Duration.ofMillis(60_000);

  /** {@code executor.attempt.lease.ms}'s default. */
  public static final Duration DEFAULT_ATTEMPT_LEASE = Duration.ofMillis(6000);

  /** The queryable store of DAG heads (DAG -> latest version). */
  public static final String HEADS_STORE = RunStores.HEADS;

  private SchedulerTopology() {}

  /** The version a value of {@link #HEADS_STORE} names, or -1 when the DAG was deleted. */
  public static int liveVersion(Object head) {
    DagHead h = (DagHead) head;
    return h.deleted() ? -1 : h.version();
  }

  /**
   * Builds the topology.
   *
   * @param inMemoryStores in-memory stores (restored from their changelogs) instead of RocksDB
   * @param timerInterval how often the punctuator fires due timers and expires finished runs
   * @param retention how long a finished run's state is kept
   * @param pacing when to commit after a launch or a run phase change is out
   */
  public static Topology build(
      Topics topics,
      boolean inMemoryStores,
      Duration timerInterval,
      Duration retention,
      CommitPacing pacing,
      PlanCache plans) {
    return build(
        topics,
        inMemoryStores,
        timerInterval,
        retention,
        pacing,
        plans,
        DEFAULT_ATTEMPT_LEASE,
        new SchedulerMetrics());
  }

  /**
   * Builds the topology.
   *
   * @param attemptLease how long an executor may go unheard of before the attempts it holds are
   *     failed as lost
   * @param metrics where internal errors and lost attempts are counted
   */
  public static Topology build(
      Topics topics,
      boolean inMemoryStores,
      Duration timerInterval,
      Duration retention,
      CommitPacing pacing,
      PlanCache plans,
      Duration attemptLease,
      SchedulerMetrics metrics) {
    return build(
        topics, inMemoryStores, timerInterval, retention, pacing, plans, attemptLease, metrics, 0);
  }

  /**
   * Builds the topology.
   *
   * @param commandPartitions the commands topic's partition count: a command read on another
   *     partition than the one Kafka's Java producer puts its DAG on is sent on to that one
   */
  public static Topology build(
      Topics topics,
      boolean inMemoryStores,
      Duration timerInterval,
      Duration retention,
      CommitPacing pacing,
      PlanCache plans,
      Duration attemptLease,
      SchedulerMetrics metrics,
      int commandPartitions) {
    return build(
        topics,
        inMemoryStores,
        timerInterval,
        retention,
        pacing,
        plans,
        attemptLease,
        metrics,
        commandPartitions,
        AdmissionLimits.DEFAULT);
  }

  /**
   * Builds the topology.
   *
   * @param limits how many runs may wait for a DAG's {@code maxActiveRuns}, how many slots a
   *     backfill may cover
   */
  public static Topology build(
      Topics topics,
      boolean inMemoryStores,
      Duration timerInterval,
      Duration retention,
      CommitPacing pacing,
      PlanCache plans,
      Duration attemptLease,
      SchedulerMetrics metrics,
      int commandPartitions,
      AdmissionLimits limits) {
    return build(
        topics,
        inMemoryStores,
        timerInterval,
        retention,
        pacing,
        plans,
        attemptLease,
        metrics,
        commandPartitions,
        limits,
        DEFAULT_POOL_LEASE);
  }

  /**
   * Builds the topology.
   *
   * @param poolLease how long a slot of a shared pool stays held without a renewal from its
   *     holder's DAG partition (which renews every third of it)
   */
  public static Topology build(
      Topics topics,
      boolean inMemoryStores,
      Duration timerInterval,
      Duration retention,
      CommitPacing pacing,
      PlanCache plans,
      Duration attemptLease,
      SchedulerMetrics metrics,
      int commandPartitions,
      AdmissionLimits limits,
      Duration poolLease) {
    CommandRouting routing = new CommandRouting(commandPartitions);
    Topology t = new Topology();
    StringDeserializer keys = new StringDeserializer();
    ByteArrayDeserializer values = new ByteArrayDeserializer();
    t.addSource("dags-source", keys, values, topics.dags());
    t.addSource("commands-source", keys, values, topics.commands());
    t.addSource("outcomes-source", keys, values, topics.taskOutcomes());
    t.addProcessor("catalog", () -> new CatalogProcessor(plans, retention), "dags-source");
    t.addProcessor(
        "commands",
        () ->
            new CommandProcessor(
                plans,
                timerInterval,
                retention,
                pacing,
                topics.maxMessageBytes(),
                metrics,
                routing,
                limits,
                poolLease),
        "commands-source");
    t.addProcessor(
        "outcomes",
        () ->
            new OutcomeProcessor(
                plans, retention, pacing, attemptLease, timerInterval, metrics, limits),
        "outcomes-source");
    String[] processors = {"catalog", "commands", "outcomes"};
    for (StoreBuilder<?> store : RunStores.builders(inMemoryStores, topics.maxMessageBytes())) {
      t.addStateStore(store, processors);
    }
    for (StoreBuilder<?> store :
        AdmissionStores.builders(inMemoryStores, topics.maxMessageBytes())) {
      t.addStateStore(store, processors);
    }
    for (StoreBuilder<?> store : AttemptLeases.builders(inMemoryStores)) {
      t.addStateStore(store, processors);
    }
    t.addStateStore(PoolStores.holds(inMemoryStores, topics.maxMessageBytes()), processors);
    StringSerializer keyOut = new StringSerializer();
    ByteArraySerializer valueOut = new ByteArraySerializer();
    t.addSink(LAUNCHES_SINK, topics.taskLaunches(), keyOut, valueOut, "commands", "outcomes");
    t.addSink(RUN_EVENTS_SINK, topics.runEvents(), keyOut, valueOut, "commands", "outcomes");
    t.addSink(DEAD_LETTERS_SINK, topics.deadLetters(), keyOut, valueOut, processors);
    t.addSink(DAGS_SINK, topics.dags(), keyOut, valueOut, new DagPartitioner(), "commands");
    // Child runs of dagRef tasks, their cancels and their ends, keyed by the DAG they go to; and
    // commands a producer put on another partition than their DAG's, moved to their owner.
    t.addSink(COMMANDS_SINK, topics.commands(), keyOut, valueOut, "commands", "outcomes");
    // Slot requests, releases and renewals of the DAGs' attempts, keyed by pool.
    t.addSink(POOLS_SINK, topics.pools(), keyOut, valueOut, processors);
    addPools(t, topics, inMemoryStores, timerInterval, poolLease);
    return t;
  }

  /**
   * The owner of shared pools: a sub-topology of its own, keyed by pool name (its sinks are its own
   * too, so that it shares no node with the DAGs' sub-topology and needs no co-partitioning).
   */
  private static void addPools(
      Topology t, Topics topics, boolean inMemoryStores, Duration checkInterval, Duration lease) {
    t.addSource(
        "pools-source", new StringDeserializer(), new ByteArrayDeserializer(), topics.pools());
    t.addProcessor("pools", () -> new PoolProcessor(lease, checkInterval), "pools-source");
    t.addStateStore(PoolStores.pools(inMemoryStores, topics.maxMessageBytes()), "pools");
    StringSerializer keyOut = new StringSerializer();
    ByteArraySerializer valueOut = new ByteArraySerializer();
    t.addSink(GRANTS_SINK, topics.commands(), keyOut, valueOut, "pools");
    t.addSink(POOL_STATUS_SINK, topics.runEvents(), keyOut, valueOut, "pools");
    t.addSink(POOL_DEAD_LETTERS_SINK, topics.deadLetters(), keyOut, valueOut, "pools");
  }
}

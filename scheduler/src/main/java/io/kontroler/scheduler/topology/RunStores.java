package io.kontroler.scheduler.topology;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.SchemaVersion;
import io.kontroler.core.run.RunCommand.StartTimer;
import io.kontroler.core.run.RunState;
import io.kontroler.core.run.TaskState;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The scheduler's state stores, each with a changelog: {@code runs} (run id -> run state), {@code
 * tasks} ({@code runId/task} -> task state, so one event rewrites only the tasks it changed),
 * {@code timers} (due time first, see {@link DueKeys}), {@code dag-heads} (DAG -> latest version)
 * {@code dag-versions} ({@code dag#version} -> the version's resolved spec, or its head and {@code
 * dag#version#i} -> its parts when it is split, see {@link DagVersions}; rewritten only when {@code
 * suspended} changes), {@code run-expiries} (when a finished run's state goes first, see {@link
 * DueKeys} -> run id), {@code dagtask-heads} ({@code dagtask:namespace/name} -> latest DagTask
 * version, for the partition that numbers them) and {@code scheduled-runs} (DAG -> its active runs
 * that the cron schedule started, for the concurrency policy). Every JSON value carries its {@link
 * io.kontroler.core.message.SchemaVersion} (see {@link JsonSerde}).
 */
record RunStores(
    KeyValueStore<String, RunState> runs,
    KeyValueStore<String, TaskState> tasks,
    KeyValueStore<Bytes, StartTimer> timers,
    KeyValueStore<String, DagHead> heads,
    DagVersions versions,
    KeyValueStore<Bytes, String> expiries,
    KeyValueStore<String, DagTaskHead> dagTaskHeads,
    KeyValueStore<String, ScheduledRuns> scheduled) {

  static final String RUNS = "runs";
  static final String TASKS = "tasks";
  static final String TIMERS = "timers";
  static final String HEADS = "dag-heads";
  static final String VERSIONS = "dag-versions";
  static final String EXPIRIES = "run-expiries";
  static final String DAGTASK_HEADS = "dagtask-heads";
  static final String SCHEDULED = "scheduled-runs";

  static RunStores from(ProcessingContext context) {
    return new RunStores(
        context.getStateStore(RUNS),
        context.getStateStore(TASKS),
        context.getStateStore(TIMERS),
        context.getStateStore(HEADS),
        new DagVersions(context.getStateStore(VERSIONS)),
        context.getStateStore(EXPIRIES),
        context.getStateStore(DAGTASK_HEADS),
        context.getStateStore(SCHEDULED));
  }

  static String taskKey(String runId, String task) {
    return runId + "/" + task;
  }

  /**
   * The serde of each store's JSON values, by store name; {@code dag-versions}' is the one of the
   * whole specs it held before versions were split, which {@link VersionSerde} still reads.
   */
  static Map<String, JsonSerde<?>> jsonValues() {
    return Map.of(
        // 1.1: the workflow language's fields (logical date, exit tasks, upstream counters,
        // outputs), left out at their defaults. 1.2: a run's parent (sub-DAGs), a task's fanOut
        // counters (forEach), DAG tasks' forEach, parallelism and dagRef. DagSpec 1.3:
        // maxActiveRuns. RunState 1.3: paused and slaMissed; DagSpec 1.4: sla and tasks' approval.
        // DagSpec 1.5: tasks' pool. TaskState 1.3: waitingForPool.
        RUNS, new JsonSerde<>(RunState.class, new SchemaVersion(1, 3)),
        TASKS, new JsonSerde<>(TaskState.class, new SchemaVersion(1, 3)),
        TIMERS, new JsonSerde<>(StartTimer.class),
        HEADS, new JsonSerde<>(DagHead.class),
        VERSIONS, new JsonSerde<>(DagSpec.class, new SchemaVersion(1, 5)),
        DAGTASK_HEADS, new JsonSerde<>(DagTaskHead.class),
        SCHEDULED, new JsonSerde<>(ScheduledRuns.class));
  }

  @SuppressWarnings("unchecked")
  private static VersionSerde versionSerde(JsonSerde<?> legacy) {
    return new VersionSerde((JsonSerde<DagSpec>) legacy);
  }

  /**
   * The stores, each changelog taking records of up to {@code maxMessageBytes} (the size policy of
   * every topic).
   */
  static StoreBuilder<?>[] builders(boolean inMemory, int maxMessageBytes) {
    Function<String, KeyValueBytesStoreSupplier> supplier =
        inMemory ? Stores::inMemoryKeyValueStore : Stores::persistentKeyValueStore;
    Map<String, String> changelog =
        Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes));
    Map<String, JsonSerde<?>> json = jsonValues();
    StoreBuilder<?>[] builders = {
      Stores.keyValueStoreBuilder(supplier.apply(RUNS), Serdes.String(), json.get(RUNS))
          .withCachingEnabled(),
      Stores.keyValueStoreBuilder(supplier.apply(TASKS), Serdes.String(), json.get(TASKS))
          .withCachingEnabled(),
      Stores.keyValueStoreBuilder(supplier.apply(TIMERS), Serdes.Bytes(), json.get(TIMERS)),
      Stores.keyValueStoreBuilder(supplier.apply(HEADS), Serdes.String(), json.get(HEADS)),
      Stores.keyValueStoreBuilder(
              supplier.apply(VERSIONS), Serdes.String(), versionSerde(json.get(VERSIONS)))
          .withCachingEnabled(),
      Stores.keyValueStoreBuilder(supplier.apply(EXPIRIES), Serdes.Bytes(), Serdes.String()),
      Stores.keyValueStoreBuilder(
          supplier.apply(DAGTASK_HEADS), Serdes.String(), json.get(DAGTASK_HEADS)),
      Stores.keyValueStoreBuilder(supplier.apply(SCHEDULED), Serdes.String(), json.get(SCHEDULED))
    };
    for (StoreBuilder<?> builder : builders) {
      builder.withLoggingEnabled(changelog);
    }
    return builders;
  }
}

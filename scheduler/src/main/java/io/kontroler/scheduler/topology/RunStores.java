package io.kontroler.scheduler.topology;

import io.kontroler.broker.TopicSetup;
import io.kontroler.core.dag.DagSpec;
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
 * {@code dag-versions} ({@code dag#version} -> resolved spec, never overwritten) and {@code
 * run-expiries} (when a finished run's state goes first, see {@link DueKeys} -> run id).
 */
record RunStores(
    KeyValueStore<String, RunState> runs,
    KeyValueStore<String, TaskState> tasks,
    KeyValueStore<Bytes, StartTimer> timers,
    KeyValueStore<String, DagHead> heads,
    KeyValueStore<String, DagSpec> versions,
    KeyValueStore<Bytes, String> expiries) {

  static final String RUNS = "runs";
  static final String TASKS = "tasks";
  static final String TIMERS = "timers";
  static final String HEADS = "dag-heads";
  static final String VERSIONS = "dag-versions";
  static final String EXPIRIES = "run-expiries";

  static RunStores from(ProcessingContext context) {
    return new RunStores(
        context.getStateStore(RUNS),
        context.getStateStore(TASKS),
        context.getStateStore(TIMERS),
        context.getStateStore(HEADS),
        context.getStateStore(VERSIONS),
        context.getStateStore(EXPIRIES));
  }

  static String taskKey(String runId, String task) {
    return runId + "/" + task;
  }

  static StoreBuilder<?>[] builders(boolean inMemory) {
    Function<String, KeyValueBytesStoreSupplier> supplier =
        inMemory ? Stores::inMemoryKeyValueStore : Stores::persistentKeyValueStore;
    return new StoreBuilder<?>[] {
      Stores.keyValueStoreBuilder(
              supplier.apply(RUNS), Serdes.String(), new JsonSerde<>(RunState.class))
          .withCachingEnabled(),
      Stores.keyValueStoreBuilder(
              supplier.apply(TASKS), Serdes.String(), new JsonSerde<>(TaskState.class))
          .withCachingEnabled(),
      Stores.keyValueStoreBuilder(
          supplier.apply(TIMERS), Serdes.Bytes(), new JsonSerde<>(StartTimer.class)),
      Stores.keyValueStoreBuilder(
          supplier.apply(HEADS), Serdes.String(), new JsonSerde<>(DagHead.class)),
      Stores.keyValueStoreBuilder(
              supplier.apply(VERSIONS), Serdes.String(), new JsonSerde<>(DagSpec.class))
          .withCachingEnabled()
          .withLoggingEnabled(
              Map.of(
                  TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                  String.valueOf(TopicSetup.MAX_MESSAGE_BYTES))),
      Stores.keyValueStoreBuilder(supplier.apply(EXPIRIES), Serdes.Bytes(), Serdes.String())
    };
  }
}

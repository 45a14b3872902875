package io.kontroler.scheduler.topology;

import io.kontroler.core.run.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The two stores behind attempt leases, per partition: {@code executors} (executor id -> when this
 * partition first heard of it, scheduler wall clock: the executors whose leases are watched) and
 * {@code attempt-holders} ({@code executor NUL runId/task} -> the attempt it holds). The holder
 * index is keyed by executor first, so that an executor's attempts are one prefix scan, not a scan
 * of every run. It follows the task states: an attempt is in it while it is queued or running and
 * an executor accepted it.
 */
final class AttemptLeases {
  static final String EXECUTORS = "executors";
  static final String HOLDERS = "attempt-holders";
  private static final char SEPARATOR = '\u0000';
  private static final StringSerializer KEYS = new StringSerializer();

  private final KeyValueStore<String, Long> executors;
  private final KeyValueStore<String, HeldAttempt> holders;

  private AttemptLeases(
      KeyValueStore<String, Long> executors, KeyValueStore<String, HeldAttempt> holders) {
    this.executors = executors;
    this.holders = holders;
  }

  static AttemptLeases from(ProcessingContext context) {
    return new AttemptLeases(context.getStateStore(EXECUTORS), context.getStateStore(HOLDERS));
  }

  static StoreBuilder<?>[] builders(boolean inMemory) {
    Function<String, KeyValueBytesStoreSupplier> supplier =
        inMemory ? Stores::inMemoryKeyValueStore : Stores::persistentKeyValueStore;
    return new StoreBuilder<?>[] {
      Stores.keyValueStoreBuilder(supplier.apply(EXECUTORS), Serdes.String(), Serdes.Long()),
      Stores.keyValueStoreBuilder(
          supplier.apply(HOLDERS), Serdes.String(), new JsonSerde<>(HeldAttempt.class))
    };
  }

  /** Starts watching {@code executor}'s lease, unless it is watched already. */
  void watch(String executor, long now) {
    if (executors.get(executor) == null) {
      executors.put(executor, now);
    }
  }

  /** The executors whose leases are watched. */
  List<String> watched() {
    List<String> out = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = executors.all()) {
      it.forEachRemaining(kv -> out.add(kv.key));
    }
    return out;
  }

  /** Stops watching {@code executor} (its lease expired and its attempts were failed). */
  void forget(String executor) {
    executors.delete(executor);
  }

  /** The attempts {@code executor} holds, with their index keys. */
  List<KeyValue<String, HeldAttempt>> heldBy(String executor) {
    List<KeyValue<String, HeldAttempt>> out = new ArrayList<>();
    try (KeyValueIterator<String, HeldAttempt> it =
        holders.prefixScan(executor + SEPARATOR, KEYS)) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  void release(String indexKey) {
    holders.delete(indexKey);
  }

  /**
   * Keeps the index in step with one task's change from {@code before} (null for a new run) to
   * {@code after}.
   */
  void update(String runId, String dag, TaskState before, TaskState after) {
    String was = keyOf(runId, before);
    String is = keyOf(runId, after);
    if (was != null && !was.equals(is)) {
      holders.delete(was);
    }
    if (is != null && (!is.equals(was) || before.attempt() != after.attempt())) {
      holders.put(is, new HeldAttempt(runId, dag, after.name(), after.attempt()));
    }
  }

  /** The index entry of a task whose state is being deleted, if it has one. */
  void forgetTask(String runId, TaskState last) {
    String key = keyOf(runId, last);
    if (key != null) {
      holders.delete(key);
    }
  }

  private static String keyOf(String runId, TaskState t) {
    if (t == null || t.executor() == null || !t.phase().isActive()) {
      return null;
    }
    return t.executor() + SEPARATOR + RunStores.taskKey(runId, t.name());
  }
}

package io.kontroler.scheduler.topology;

import io.kontroler.core.pool.PoolState;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The stores of shared pools, each with a changelog: {@code pools} (pool name -> {@link PoolState},
 * the pool owner's whole state: slots, holders and the queue of waiting requests) on the pools'
 * partitions, and {@code pool-holds} ({@code runId/task} -> {@link HeldSlot}) on the DAGs'
 * partitions: the slots the attempts of this partition hold, renewed by its punctuator.
 */
final class PoolStores {
  static final String POOLS = "pools";
  static final String HOLDS = "pool-holds";

  private PoolStores() {}

  /** The serde of each store's JSON values, by store name. */
  static Map<String, JsonSerde<?>> jsonValues() {
    return Map.of(POOLS, new JsonSerde<>(PoolState.class), HOLDS, new JsonSerde<>(HeldSlot.class));
  }

  /** The pool owner's store. */
  static StoreBuilder<?> pools(boolean inMemory, int maxMessageBytes) {
    return build(POOLS, inMemory, maxMessageBytes);
  }

  /** The store of the slots a DAG partition's attempts hold. */
  static StoreBuilder<?> holds(boolean inMemory, int maxMessageBytes) {
    return build(HOLDS, inMemory, maxMessageBytes);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static StoreBuilder<?> build(String name, boolean inMemory, int maxMessageBytes) {
    Function<String, KeyValueBytesStoreSupplier> supplier =
        inMemory ? Stores::inMemoryKeyValueStore : Stores::persistentKeyValueStore;
    return Stores.keyValueStoreBuilder(
            supplier.apply(name), Serdes.String(), (JsonSerde) jsonValues().get(name))
        .withLoggingEnabled(
            Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes)));
  }
}

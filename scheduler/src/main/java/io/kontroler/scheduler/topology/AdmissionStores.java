package io.kontroler.scheduler.topology;

import io.kontroler.core.run.RunEvent;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The stores of {@code maxActiveRuns}, each with a changelog and written in the transaction of the
 * record that changes them, so that a crash neither starts a waiting run twice nor loses it: {@code
 * admissions} (DAG -> {@link Admission}), {@code waiting-runs} ({@code dag#sequence}, zero-padded
 * so that a range reads them oldest first -> the request) and {@code waiting-index} (run id -> its
 * key in {@code waiting-runs}, to find a waiting run that is cancelled or asked for again).
 */
record AdmissionStores(
    KeyValueStore<String, Admission> admissions,
    KeyValueStore<String, RunEvent.RunRequested> waiting,
    KeyValueStore<String, String> index) {

  static final String ADMISSIONS = "admissions";
  static final String WAITING = "waiting-runs";
  static final String INDEX = "waiting-index";

  static AdmissionStores from(ProcessingContext context) {
    return new AdmissionStores(
        context.getStateStore(ADMISSIONS),
        context.getStateStore(WAITING),
        context.getStateStore(INDEX));
  }

  /** The key of the {@code seq}th waiting run of {@code dag}: DAG names hold no {@code #}. */
  static String queueKey(String dag, long seq) {
    return dag + "#" + String.format("%019d", seq);
  }

  /** The serde of each store's JSON values, by store name. */
  static Map<String, JsonSerde<?>> jsonValues() {
    return Map.of(
        ADMISSIONS,
        new JsonSerde<>(Admission.class),
        WAITING,
        new JsonSerde<>(RunEvent.RunRequested.class),
        Backfills.BACKFILLS,
        new JsonSerde<>(Backfill.class));
  }

  static StoreBuilder<?>[] builders(boolean inMemory, int maxMessageBytes) {
    Function<String, KeyValueBytesStoreSupplier> supplier =
        inMemory ? Stores::inMemoryKeyValueStore : Stores::persistentKeyValueStore;
    Map<String, String> changelog =
        Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes));
    Map<String, JsonSerde<?>> json = jsonValues();
    StoreBuilder<?>[] builders = {
      Stores.keyValueStoreBuilder(
          supplier.apply(ADMISSIONS), Serdes.String(), json.get(ADMISSIONS)),
      Stores.keyValueStoreBuilder(supplier.apply(WAITING), Serdes.String(), json.get(WAITING)),
      Stores.keyValueStoreBuilder(supplier.apply(INDEX), Serdes.String(), Serdes.String()),
      Stores.keyValueStoreBuilder(
          supplier.apply(Backfills.BACKFILLS), Serdes.String(), json.get(Backfills.BACKFILLS)),
      Stores.keyValueStoreBuilder(
          supplier.apply(Backfills.BACKFILL_RUNS), Serdes.String(), Serdes.String())
    };
    for (StoreBuilder<?> builder : builders) {
      builder.withLoggingEnabled(changelog);
    }
    return builders;
  }
}

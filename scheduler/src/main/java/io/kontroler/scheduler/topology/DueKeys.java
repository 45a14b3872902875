package io.kontroler.scheduler.topology;

import io.kontroler.core.run.RunCommand.StartTimer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keys of the stores of things due at a time (timers, run expiries): the due time as big-endian
 * epoch millis first, so that the store's byte order is due-time order and the punctuator reads
 * only what is due; then an id that makes each key unique.
 */
final class DueKeys {
  private DueKeys() {}

  /** A timer's key: its run, task, attempt and kind make it unique. */
  static Bytes of(StartTimer timer) {
    return of(timer, timer.dueAt().toEpochMilli());
  }

  /** The key of {@code timer} put off to fire at {@code dueMillis} instead. */
  static Bytes of(StartTimer timer, long dueMillis) {
    return of(
        dueMillis, timer.runId() + "/" + timer.task() + "/" + timer.attempt() + "/" + timer.kind());
  }

  static Bytes of(long dueMillis, String id) {
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(Long.BYTES + bytes.length)
            .putLong(Math.max(0, dueMillis))
            .put(bytes)
            .array());
  }

  static long dueMillis(Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong();
  }

  /** The entries of {@code store} due at {@code now}, earliest first. */
  static <V> List<KeyValue<Bytes, V>> due(KeyValueStore<Bytes, V> store, long now) {
    List<KeyValue<Bytes, V>> due = new ArrayList<>();
    try (KeyValueIterator<Bytes, V> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, V> next = it.next();
        if (dueMillis(next.key) > now) {
          break;
        }
        due.add(next);
      }
    }
    return due;
  }
}

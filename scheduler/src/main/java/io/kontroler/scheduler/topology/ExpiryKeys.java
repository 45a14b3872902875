package io.kontroler.scheduler.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the run-expiries store: when the run's state may go, as big-endian epoch millis first, so
 * that the store's byte order is expiry order and the punctuator reads only what is due; then the
 * run id.
 */
final class ExpiryKeys {
  private ExpiryKeys() {}

  static Bytes of(long dueMillis, String runId) {
    byte[] id = runId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(Long.BYTES + id.length)
            .putLong(Math.max(0, dueMillis))
            .put(id)
            .array());
  }

  static long dueMillis(Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong();
  }
}

package io.kontroler.scheduler.topology;

import io.kontroler.core.run.RunCommand.StartTimer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the timer store: the due time as big-endian epoch millis first, so that the store's byte
 * order is due-time order and the punctuator reads only the timers that are due; then run, task,
 * attempt and kind, so that each timer has its own key.
 */
final class TimerKeys {
  private TimerKeys() {}

  static Bytes of(StartTimer timer) {
    byte[] id =
        (timer.runId() + "/" + timer.task() + "/" + timer.attempt() + "/" + timer.kind())
            .getBytes(StandardCharsets.UTF_8);
    long due = Math.max(0, timer.dueAt().toEpochMilli());
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length).putLong(due).put(id).array());
  }

  static long dueMillis(Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong();
  }
}

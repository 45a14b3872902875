package io.kontroler.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether the scheduler may be called ready, and if not why: its streams must be RUNNING and no
 * stream thread may have failed within the last {@code failureMemory} (a failed thread is replaced,
 * but one that keeps failing keeps the scheduler red instead of flapping green in between).
 */
final class SchedulerHealth {
  private final Duration failureMemory;
  private final LongSupplier clockMs;
  private final AtomicLong lastThreadFailureMs = new AtomicLong(Long.MIN_VALUE);
  private final AtomicReference<String> lastThreadFailure = new AtomicReference<>();

  SchedulerHealth(Duration failureMemory, LongSupplier clockMs) {
    this.failureMemory = failureMemory;
    this.clockMs = clockMs;
  }

  /** A stream thread died of {@code error}. */
  void threadFailed(Throwable error) {
    lastThreadFailure.set(error.getClass().getName() + ": " + error.getMessage());
    lastThreadFailureMs.set(clockMs.getAsLong());
  }

  /** What keeps a scheduler in {@code state} from being ready; empty when it is. */
  List<String> problems(KafkaStreams.State state) {
    List<String> out = new ArrayList<>();
    if (state != KafkaStreams.State.RUNNING) {
      out.add("streams are " + state);
    }
    long failedAt = lastThreadFailureMs.get();
    if (failedAt != Long.MIN_VALUE) {
      long ago = clockMs.getAsLong() - failedAt;
      if (ago <= failureMemory.toMillis()) {
        out.add("a stream thread failed " + ago + " ms ago: " + lastThreadFailure.get());
      }
    }
    return out;
  }
}

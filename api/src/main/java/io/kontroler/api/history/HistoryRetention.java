package io.kontroler.api.history;

import io.kontroler.broker.loop.SupervisedLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the history within its retention: the supervised loop {@value #LOOP} deletes the final runs
 * that finished more than {@code retention} ago, one batch of the {@link HistoryPruner} per step.
 * After a full batch it goes on at once; after a smaller one the history is within its retention
 * and the loop waits {@code interval}. Each step returns within about a second, so readiness sees
 * the loop progress while it waits, and a batch is one short transaction between the projection's.
 */
public final class HistoryRetention {
  public static final String LOOP = "history-retention";
  private static final Duration IDLE_STEP = Duration.ofMillis(500);

  private final HistoryPruner pruner;
  private final Duration retention;
  private final Duration interval;
  private final Clock clock;

  public HistoryRetention(
      HistoryPruner pruner, Duration retention, Duration interval, Clock clock) {
    if (retention.isNegative()
        || retention.isZero()
        || interval.isNegative()
        || interval.isZero()) {
      throw new IllegalArgumentException(
          "Expected a positive retention and interval, but got " + retention + " and " + interval);
    }
    this.pruner = pruner;
    this.retention = retention;
    this.interval = interval;
    this.clock = clock;
  }

  /** The pruning loop; not started. */
  public SupervisedLoop loop() {
    return new SupervisedLoop(LOOP, Session::new);
  }

  /**
   * When the next batch is due after one that found {@code selected} runs at {@code now}: at once
   * when the batch was full (more are waiting), else after the interval.
   */
  Instant nextAfter(Instant now, int selected) {
    return selected >= pruner.batchSize() ? now : now.plus(interval);
  }

  /** A session starts with a batch: after a start or a failure, the history is checked at once. */
  private final class Session implements SupervisedLoop.Session {
    private final Semaphore wake = new Semaphore(0);
    private Instant next = Instant.MIN;

    @Override
    public void step() throws InterruptedException {
      Instant now = clock.instant();
      if (now.isBefore(next)) {
        wake.tryAcquire(IDLE_STEP.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      HistoryPruner.Batch batch = pruner.pruneBatch(now.minus(retention));
      next = nextAfter(now, batch.selected());
    }

    @Override
    public void wakeup() {
      wake.release();
    }
  }
}

package io.kontroler.executor;

import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.ExecutorHeartbeat;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;

/**
 * One step a heartbeat: {@link ExecutorHeartbeat} to every partition of the outcomes topic, so that
 * every scheduler partition sees that this executor still holds its attempts, then a wait until one
 * interval after it began.
 *
 * <p>A step never waits for the broker: a partition whose leader is gone (a broker died, its
 * partitions not yet led elsewhere) must not hold up the heartbeats of the others, or every
 * scheduler partition would take this executor for dead after one broker's death and fail its
 * attempts as lost. Acknowledgements are looked at one step later; a partition that has not
 * acknowledged a heartbeat for {@link #UNANSWERED_INTERVALS} intervals fails the step (after the
 * step's heartbeats are out), so that readiness says so.
 */
final class Heartbeats implements SupervisedLoop.Session {
  /** How many intervals a partition may go without acknowledging a heartbeat. */
  static final int UNANSWERED_INTERVALS = 5;

  private final Outcomes outcomes;
  private final String executor;
  private final Duration interval;
  private final Clock clock;
  private final CountDownLatch woken = new CountDownLatch(1);
  private final long openedAt = System.nanoTime();
  private final List<Sent> unanswered = new ArrayList<>();
  private final Map<Integer, Long> lastAcknowledged = new HashMap<>();
  private final Map<Integer, Throwable> lastRefusal = new HashMap<>();

  private record Sent(int partition, long at, Future<RecordMetadata> ack) {}

  Heartbeats(Outcomes outcomes, String executor, Duration interval, Clock clock) {
    this.outcomes = outcomes;
    this.executor = executor;
    this.interval = interval;
    this.clock = clock;
  }

  @Override
  public void step() throws Exception {
    long now = System.nanoTime();
    long due = now + interval.toNanos();
    takeAnswers();
    ExecutorHeartbeat heartbeat = new ExecutorHeartbeat(executor, clock.instant());
    List<PartitionInfo> partitions = outcomes.outcomePartitions();
    for (PartitionInfo partition : partitions) {
      unanswered.add(
          new Sent(
              partition.partition(), now, outcomes.heartbeat(heartbeat, partition.partition())));
    }
    failIfSilent(partitions, now);
    woken.await(Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  @Override
  public void wakeup() {
    woken.countDown();
  }

  private void takeAnswers() throws InterruptedException {
    for (Iterator<Sent> it = unanswered.iterator(); it.hasNext(); ) {
      Sent sent = it.next();
      if (!sent.ack().isDone()) {
        continue;
      }
      it.remove();
      try {
        sent.ack().get();
        lastAcknowledged.merge(sent.partition(), sent.at(), Math::max);
      } catch (ExecutionException e) {
        lastRefusal.put(sent.partition(), e.getCause());
      }
    }
  }

  private void failIfSilent(List<PartitionInfo> partitions, long now) {
    long window = interval.toNanos() * UNANSWERED_INTERVALS;
    for (PartitionInfo partition : partitions) {
      long since = lastAcknowledged.getOrDefault(partition.partition(), openedAt);
      if (now - since > window) {
        throw new IllegalStateException(
            "No heartbeat acknowledged on partition "
                + partition.partition()
                + " of "
                + partition.topic()
                + " for "
                + TimeUnit.NANOSECONDS.toMillis(now - since)
                + " ms",
            lastRefusal.get(partition.partition()));
      }
    }
  }
}

package io.kontroler.executor;

import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.ExecutorHeartbeat;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;

/**
 * One step a heartbeat: {@link ExecutorHeartbeat} to every partition of the outcomes topic, so that
 * every scheduler partition sees that this executor still holds its attempts, then a wait until one
 * interval after it began. A heartbeat the broker did not take fails the step, so that readiness
 * says so.
 */
final class Heartbeats implements SupervisedLoop.Session {
  private final Outcomes outcomes;
  private final String executor;
  private final Duration interval;
  private final Clock clock;
  private final CountDownLatch woken = new CountDownLatch(1);

  Heartbeats(Outcomes outcomes, String executor, Duration interval, Clock clock) {
    this.outcomes = outcomes;
    this.executor = executor;
    this.interval = interval;
    this.clock = clock;
  }

  @Override
  public void step() throws Exception {
    long due = System.nanoTime() + interval.toNanos();
    ExecutorHeartbeat heartbeat = new ExecutorHeartbeat(executor, clock.instant());
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (PartitionInfo partition : outcomes.outcomePartitions()) {
      sent.add(outcomes.heartbeat(heartbeat, partition.partition()));
    }
    long waitMillis = Math.max(5_000, interval.toMillis() * 5);
    for (Future<RecordMetadata> ack : sent) {
      ack.get(waitMillis, TimeUnit.MILLISECONDS);
    }
    woken.await(Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  @Override
  public void wakeup() {
    woken.countDown();
  }
}

package io.kontroler.scheduler.it;

import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * An executor for the integration tests: reads every committed launch, counts launches per (run,
 * task, attempt), and when {@code autoComplete} reports each attempt started and succeeded after
 * {@code delay}.
 */
final class TestExecutor implements AutoCloseable {
  private final KafkaIo io;
  private final KafkaConsumer<String, byte[]> consumer;
  private final boolean autoComplete;
  private final Duration delay;
  private final ScheduledExecutorService replies = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, AtomicInteger> launchCounts = new ConcurrentHashMap<>();
  private final List<LaunchTask> launches = new CopyOnWriteArrayList<>();
  private final List<KillTask> kills = new CopyOnWriteArrayList<>();
  private final Map<String, Long> lastLaunchNanosByRun = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  TestExecutor(KafkaIo io, boolean autoComplete, Duration delay) {
    this.io = io;
    this.autoComplete = autoComplete;
    this.delay = delay;
    this.consumer = io.reader(Topics.DEFAULT.taskLaunches());
    this.thread = new Thread(this::loop, "test-executor");
    thread.start();
  }

  private void loop() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          Object command = KafkaIo.decode(r.value());
          if (command instanceof KillTask k) {
            kills.add(k);
          }
          if (command instanceof LaunchTask l) {
            launches.add(l);
            lastLaunchNanosByRun.put(l.runId(), System.nanoTime());
            launchCounts
                .computeIfAbsent(
                    l.runId() + "/" + l.task() + "/" + l.attempt(), k -> new AtomicInteger())
                .incrementAndGet();
            if (autoComplete) {
              replies.schedule(() -> succeed(l), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  void succeed(LaunchTask l) {
    Instant now = Instant.now();
    io.send(
        Topics.DEFAULT.taskOutcomes(),
        l.dag(),
        new RunEvent.TaskStarted(l.runId(), l.dag(), l.task(), l.attempt(), now));
    io.send(
        Topics.DEFAULT.taskOutcomes(),
        l.dag(),
        new RunEvent.TaskSucceeded(l.runId(), l.dag(), l.task(), l.attempt(), now));
  }

  /** When the latest launch of {@code runId} arrived (System.nanoTime), or null. */
  Long lastLaunchNanos(String runId) {
    return lastLaunchNanosByRun.get(runId);
  }

  List<KillTask> kills() {
    return new ArrayList<>(kills);
  }

  List<LaunchTask> launches() {
    return new ArrayList<>(launches);
  }

  int launchCount() {
    return launches.size();
  }

  /** (run/task/attempt) keys launched more than once. */
  List<String> launchedTwice() {
    return launchCounts.entrySet().stream()
        .filter(e -> e.getValue().get() > 1)
        .map(e -> e.getKey() + " x" + e.getValue().get())
        .toList();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    replies.shutdownNow();
  }
}

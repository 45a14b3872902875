package io.kontroler.scheduler.it;

import io.kontroler.core.message.Topics;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * An executor for the pool tests that keeps its own record of what ran: the instant each attempt
 * started (when its launch was taken) and finished (before its outcome is sent, so before its slot
 * can go back). Attempts finish after {@code work}, or, with {@code work} null, when the test says
 * ({@link #finishAll}).
 */
final class PoolExecutor implements AutoCloseable {
  /** One attempt as the executing side saw it; {@code finished} null while it runs. */
  record Ran(String key, Instant started, Instant finished) {}

  private final KafkaIo io;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Duration work;
  private final ScheduledExecutorService replies = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Ran> ran = new ConcurrentHashMap<>();
  private final List<String> launchedTwice = new CopyOnWriteArrayList<>();
  private final List<LaunchTask> held = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  PoolExecutor(KafkaIo io, Duration work) {
    this.io = io;
    this.work = work;
    this.consumer = io.reader(Topics.DEFAULT.taskLaunches());
    this.thread = new Thread(this::loop, "pool-executor");
    thread.start();
  }

  private void loop() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          if (KafkaIo.decode(r.value()) instanceof LaunchTask l) {
            take(l);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  private void take(LaunchTask l) {
    String key = key(l);
    if (ran.putIfAbsent(key, new Ran(key, Instant.now(), null)) != null) {
      launchedTwice.add(key);
      return;
    }
    if (work == null) {
      held.add(l);
    } else {
      replies.schedule(() -> finish(l), work.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void finish(LaunchTask l) {
    String key = key(l);
    ran.computeIfPresent(key, (k, r) -> new Ran(k, r.started(), Instant.now()));
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

  /** Finishes every attempt held so far. */
  void finishAll() {
    List<LaunchTask> now = new ArrayList<>(held);
    held.removeAll(now);
    now.forEach(this::finish);
  }

  private static String key(LaunchTask l) {
    return l.runId() + "/" + l.task() + "#" + l.attempt();
  }

  List<Ran> ran() {
    return new ArrayList<>(ran.values());
  }

  long started() {
    return ran.size();
  }

  long running() {
    return ran.values().stream().filter(r -> r.finished() == null).count();
  }

  long finished() {
    return ran.values().stream().filter(r -> r.finished() != null).count();
  }

  /** (run/task#attempt) launches taken more than once. */
  List<String> launchedTwice() {
    return List.copyOf(launchedTwice);
  }

  /**
   * The most attempts that ran at once: a sweep over the recorded starts and finishes (an attempt
   * still running counts until now). A finish is counted before a start at the same instant: the
   * finish was recorded before the outcome that freed the slot was even sent.
   */
  int mostAtOnce() {
    return mostAtOnce(ran());
  }

  /** The same, over {@code attempts} only. */
  static int mostAtOnce(List<Ran> attempts) {
    List<long[]> edges = new ArrayList<>();
    for (Ran r : attempts) {
      edges.add(new long[] {toNanos(r.started()), 1});
      if (r.finished() != null) {
        edges.add(new long[] {toNanos(r.finished()), -1});
      }
    }
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int now = 0;
    int most = 0;
    for (long[] e : edges) {
      now += (int) e[1];
      most = Math.max(most, now);
    }
    return most;
  }

  private static long toNanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
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

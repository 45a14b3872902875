package io.kontroler.cli.distributed;

import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything committed to {@code kontroler.run-events}, read as the api and executors must read it
 * ({@code read_committed}), each record stamped with the wall-clock time it arrived here: the
 * reference that the api's history is compared with, and the clock of recovery.
 */
final class RunEvents implements AutoCloseable {
  /** A notification and when this reader received it (epoch millis). */
  record Received(long at, Notification event) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, List<Received>> byRun = new ConcurrentHashMap<>();
  private final AtomicLong undecodable = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  RunEvents(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "distributed-it-run-events");
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(i -> new TopicPartition(i.topic(), i.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::read, "distributed-it-run-events");
    thread.setDaemon(true);
    thread.start();
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          try {
            Notification event = MessageCodec.decode(r.value(), Notification.class);
            byRun
                .computeIfAbsent(runId(event), k -> new CopyOnWriteArrayList<>())
                .add(new Received(now, event));
          } catch (InvalidMessageException e) {
            undecodable.incrementAndGet();
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private static String runId(Notification event) {
    if (event instanceof RunPhaseChanged r) {
      return r.runId();
    }
    if (event instanceof RunRejected r) {
      return r.runId();
    }
    return ((TaskPhaseChanged) event).runId();
  }

  /** What run-events said of {@code runId} up to {@code at} (epoch millis), inclusive. */
  RunView view(String runId, long at) {
    RunPhase phase = null;
    String rejected = null;
    Map<String, TaskPhaseChanged> tasks = new LinkedHashMap<>();
    for (Received r : events(runId)) {
      if (r.at() > at) {
        break;
      }
      if (r.event() instanceof RunPhaseChanged c) {
        phase = c.to();
      } else if (r.event() instanceof RunRejected c) {
        phase = RunPhase.Failed;
        rejected = c.problems().toString();
      } else if (r.event() instanceof TaskPhaseChanged t) {
        tasks.put(t.task(), t);
      }
    }
    return new RunView(runId, phase, rejected, tasks);
  }

  /** The latest view of {@code runId}. */
  RunView view(String runId) {
    return view(runId, Long.MAX_VALUE);
  }

  /** Events of {@code runId} in the order they arrived. */
  List<Received> events(String runId) {
    return List.copyOf(byRun.getOrDefault(runId, List.of()));
  }

  /** How many events arrived after {@code at} (epoch millis). */
  long countSince(long at) {
    return byRun.values().stream().flatMap(List::stream).filter(r -> r.at() > at).count();
  }

  /** Whether every run of {@code runIds} has reached a final phase. */
  boolean allFinal(Collection<String> runIds) {
    return runIds.stream().allMatch(id -> view(id).isFinal());
  }

  long undecodable() {
    return undecodable.get();
  }

  /** A run as run-events tell it: its phase (null before the scheduler took it) and its tasks. */
  record RunView(
      String runId, RunPhase phase, String rejection, Map<String, TaskPhaseChanged> tasks) {
    boolean isFinal() {
      return phase != null && phase.isFinal();
    }

    /** The last change of each task launched and not finished: what a fault can leave hanging. */
    List<TaskPhaseChanged> inFlightTasks() {
      List<TaskPhaseChanged> out = new ArrayList<>();
      for (TaskPhaseChanged t : tasks.values()) {
        if (t.to() == TaskPhase.Queued
            || t.to() == TaskPhase.Running
            || t.to() == TaskPhase.Retrying) {
          out.add(t);
        }
      }
      return out;
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

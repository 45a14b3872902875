package io.kontroler.cli.bench;

import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows {@code run-events} (read committed) and tells when runs have ended. Only run phase
 * changes are decoded; task phase changes are recognised by their first bytes and skipped.
 */
final class RunWatcher implements AutoCloseable {
  private static final byte[] RUN_PHASE_PREFIX =
      "{\"type\":\"RunPhaseChanged\"".getBytes(StandardCharsets.UTF_8);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private final Map<String, RunPhaseChanged> ended = new ConcurrentHashMap<>();
  private final Map<String, Long> endedAtNanos = new ConcurrentHashMap<>();
  private volatile Expectation expectation;
  private volatile boolean running = true;

  RunWatcher(Properties client, String runEventsTopic, int partitions) {
    Properties c = new Properties();
    c.putAll(client);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(c);
    List<TopicPartition> all =
        IntStream.range(0, partitions)
            .mapToObj(p -> new TopicPartition(runEventsTopic, p))
            .toList();
    consumer.assign(all);
    consumer.seekToEnd(all);
    all.forEach(consumer::position);
    thread = new Thread(this::loop, "run-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts waiting for {@code runIds} to end; call before requesting them. */
  void expect(List<String> runIds) {
    expectation = new Expectation(java.util.Set.copyOf(runIds), new CountDownLatch(runIds.size()));
  }

  /** Waits for the expected runs; returns false on timeout. */
  boolean await(Duration timeout) throws InterruptedException {
    return expectation.latch().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The final phase change of {@code runId}, or null. */
  RunPhaseChanged ended(String runId) {
    return ended.get(runId);
  }

  /** When this watcher read the final phase change of {@code runId} (System.nanoTime), or null. */
  Long endedAtNanos(String runId) {
    return endedAtNanos.get(runId);
  }

  /** Expected runs that have not ended yet. */
  long pending() {
    Expectation e = expectation;
    return e == null ? 0 : e.latch().getCount();
  }

  private void loop() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (startsWith(r.value(), RUN_PHASE_PREFIX)) {
            handle(r.value());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    }
  }

  private void handle(byte[] value) {
    long now = System.nanoTime();
    RunPhaseChanged change;
    try {
      change = MessageCodec.decode(value, RunPhaseChanged.class);
    } catch (InvalidMessageException e) {
      return;
    }
    if (change.to().isFinal() && ended.putIfAbsent(change.runId(), change) == null) {
      endedAtNanos.put(change.runId(), now);
      Expectation e = expectation;
      if (e != null && e.runIds().contains(change.runId())) {
        e.latch().countDown();
      }
    }
  }

  private static boolean startsWith(byte[] value, byte[] prefix) {
    if (value == null || value.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (value[i] != prefix[i]) {
        return false;
      }
    }
    return true;
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
    consumer.close();
  }

  private record Expectation(java.util.Set<String> runIds, CountDownLatch latch) {}
}

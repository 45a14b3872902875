package io.kontroler.scheduler.it;

import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunPhase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/** Follows committed run events and keeps the final phase of each run that ended. */
final class RunEnds implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, RunPhase> ended = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  RunEnds(KafkaIo io) {
    consumer = io.reader(Topics.DEFAULT.runEvents());
    thread = new Thread(this::loop, "run-ends");
    thread.start();
  }

  private void loop() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (KafkaIo.decode(r.value()) instanceof RunPhaseChanged c && c.to().isFinal()) {
            ended.put(c.runId(), c.to());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  Map<String, RunPhase> ended() {
    return Map.copyOf(ended);
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
  }
}

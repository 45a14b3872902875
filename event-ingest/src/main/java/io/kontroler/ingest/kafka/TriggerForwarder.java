package io.kontroler.ingest.kafka;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.ingest.Outbox;
import io.kontroler.ingest.trigger.CommandCheck;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the trigger topic, where systems outside Kontroler publish commands, to {@code
 * kontroler.commands}: records that keep the contract ({@link CommandCheck}) go on, the others to
 * the dead-letter topic with the reason. Offsets are committed after the batch was published, so a
 * crash repeats records rather than losing them (a repeated run request starts one run).
 */
public final class TriggerForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TriggerForwarder.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Outbox outbox;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean running = true;

  public TriggerForwarder(
      KafkaSettings kafka, String topic, String groupId, Outbox outbox, Clock clock) {
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.outbox = outbox;
    this.clock = clock;
    this.thread = new Thread(this::run, "kontroler-ingest-triggers");
    this.thread.setDaemon(true);
  }

  public TriggerForwarder start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic));
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, byte[]> record : records) {
          forward(record);
        }
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("Stopped forwarding {}", topic, e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void forward(ConsumerRecord<String, byte[]> record) {
    CommandCheck.Result result =
        CommandCheck.check(
            record.topic(), record.partition(), record.offset(), record.key(), record.value());
    if (result.ok()) {
      outbox.command(result.command());
      return;
    }
    LOG.warn(
        "Dead-lettered {}-{}@{}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        result.reason());
    String value =
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    outbox.deadLetter(
        record.key(),
        new DeadLetter(
            result.reason(),
            record.topic(),
            record.partition(),
            record.offset(),
            record.key(),
            value,
            clock.instant()));
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.kontroler.api.kafka;

import io.kontroler.api.history.Projection;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.RunCommand;
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
 * Projects {@code kontroler.run-events} into the history, in a consumer group so replicas share the
 * partitions. Offsets are committed after the batch is applied; a record applied twice (after a
 * crash before the commit) changes nothing, because the projection keeps each row's offset.
 */
public final class RunEventsConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunEventsConsumer.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Projection projection;
  private final Thread thread;
  private volatile boolean running = true;

  public RunEventsConsumer(
      Properties clientProperties, String topic, String group, Projection projection) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kontroler-api-history");
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.projection = projection;
    this.thread = new Thread(this::run, "kontroler-api-history");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic));
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, byte[]> r : records) {
          apply(r);
        }
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    try {
      RunCommand.Notification event = MessageCodec.decode(r.value(), RunCommand.Notification.class);
      projection.apply(event, r.offset());
    } catch (InvalidMessageException e) {
      LOG.warn(
          "Skipping record {}-{}@{} of {}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          r.key(),
          e.getMessage());
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

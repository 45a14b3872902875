package io.kontroler.ingest;

import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The scheduler's side of submissions on a real broker, for tests of the ingest alone: consumes
 * {@code kontroler.commands} and answers each DagSubmitted / DagTaskSubmitted on {@code
 * kontroler.dags} with the record {@link FakeCatalogOwner} numbers, as the scheduler will.
 */
public final class KafkaCatalogOwner implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> commands;
  private final KafkaProducer<String, byte[]> dags;
  private final FakeCatalogOwner owner = new FakeCatalogOwner();
  private final Topics topics;
  private final Thread thread;
  private volatile boolean running = true;

  public KafkaCatalogOwner(Properties kafka, Topics topics, String group) {
    this.topics = topics;
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    commands = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    dags = new KafkaProducer<>(kafka, new StringSerializer(), new ByteArraySerializer());
    commands.subscribe(List.of(topics.commands()));
    thread = new Thread(this::run, "fake-scheduler");
    thread.setDaemon(true);
  }

  /** Starts answering; returns once the consumer has its partitions, so no submission is missed. */
  public KafkaCatalogOwner start() {
    while (commands.assignment().isEmpty()) {
      commands.poll(Duration.ofMillis(100));
    }
    commands.seekToEnd(commands.assignment());
    commands.assignment().forEach(commands::position);
    thread.start();
    return this;
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : commands.poll(Duration.ofMillis(200))) {
          answer(r);
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      commands.close();
    }
  }

  private void answer(ConsumerRecord<String, byte[]> record) {
    try {
      Inbound command = MessageCodec.decode(record.value(), Inbound.class);
      for (Catalog answer : owner.answer(command, Instant.now()).stream().toList()) {
        dags.send(
                new ProducerRecord<>(
                    topics.dags(), FakeCatalogOwner.key(answer), MessageCodec.encode(answer)))
            .get();
      }
    } catch (InvalidMessageException e) {
      // not a command this stand-in answers
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    commands.wakeup();
    thread.join(10_000);
    dags.close();
  }
}

package io.kontroler.api;

import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@link FakeScheduler} on a real broker: reads {@code kontroler.commands} and answers each DAG or
 * DagTask submission on {@code kontroler.dags}, as the scheduler does, after catching up with what
 * others published there (so versions published by another writer are numbered after).
 */
final class KafkaFakeScheduler implements AutoCloseable {
  private final FakeScheduler numbers = new FakeScheduler();
  private final KafkaConsumer<String, byte[]> commands;
  private final KafkaConsumer<String, byte[]> catalog;
  private final KafkaProducer<String, byte[]> producer;
  private final Topics topics;
  private final Thread thread;
  private volatile boolean running = true;

  KafkaFakeScheduler(Properties client, Topics topics) {
    this.topics = topics;
    Properties c = new Properties();
    c.putAll(client);
    c.put("group.id", "fake-scheduler-" + UUID.randomUUID());
    c.put("auto.offset.reset", "earliest");
    c.put("isolation.level", "read_committed");
    this.commands = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    Properties d = new Properties();
    d.putAll(client);
    d.put("isolation.level", "read_committed");
    this.catalog = new KafkaConsumer<>(d, new StringDeserializer(), new ByteArrayDeserializer());
    this.producer = new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer());
    this.thread = new Thread(this::run, "fake-scheduler");
    this.thread.setDaemon(true);
    commands.subscribe(List.of(topics.commands()));
    List<TopicPartition> parts =
        catalog.partitionsFor(topics.dags()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    catalog.assign(parts);
    catalog.seekToBeginning(parts);
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : commands.poll(Duration.ofMillis(200))) {
          Inbound command = decode(r.value(), Inbound.class);
          if (command instanceof Inbound.DagSubmitted
              || command instanceof Inbound.DagTaskSubmitted) {
            catchUp();
            numbers.answer(command).ifPresent(this::publish);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      commands.close();
      catalog.close();
      producer.close();
    }
  }

  private void catchUp() {
    Map<TopicPartition, Long> end = catalog.endOffsets(catalog.assignment());
    while (end.entrySet().stream().anyMatch(e -> catalog.position(e.getKey()) < e.getValue())) {
      for (ConsumerRecord<String, byte[]> r : catalog.poll(Duration.ofMillis(100))) {
        Catalog record = decode(r.value(), Catalog.class);
        if (record != null) {
          numbers.knows(record);
        }
      }
    }
  }

  private void publish(Catalog record) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topics.dags(), FakeScheduler.key(record), MessageCodec.encode(record)))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not publish " + record, e);
    }
  }

  private static <T> T decode(byte[] value, Class<T> type) {
    try {
      return value == null ? null : MessageCodec.decode(value, type);
    } catch (InvalidMessageException e) {
      return null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    commands.wakeup();
    thread.join(10_000);
  }
}

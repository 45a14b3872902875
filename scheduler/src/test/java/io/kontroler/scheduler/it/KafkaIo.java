package io.kontroler.scheduler.it;

import io.kontroler.broker.TopicSetup;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.embedded.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for the integration tests: publish messages, read topics, check offsets. */
final class KafkaIo implements AutoCloseable {
  private final EmbeddedKafka kafka;
  private final KafkaProducer<String, byte[]> producer;
  private final Admin admin;

  KafkaIo(EmbeddedKafka kafka) {
    this.kafka = kafka;
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(TopicSetup.MAX_MESSAGE_BYTES));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
    admin = Admin.create(kafka.clientProperties());
  }

  RecordMetadata send(String topic, String key, Object message) {
    return sendRaw(topic, key, MessageCodec.encode(message));
  }

  /** Sends {@code message} to one partition of {@code topic}, whatever its key. */
  RecordMetadata sendTo(String topic, int partition, String key, Object message) {
    try {
      return producer
          .send(new ProducerRecord<>(topic, partition, key, MessageCodec.encode(message)))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Could not send to " + topic + "-" + partition, e);
    }
  }

  RecordMetadata sendRaw(String topic, String key, String value) {
    return sendRaw(topic, key, value.getBytes(StandardCharsets.UTF_8));
  }

  RecordMetadata sendRaw(String topic, String key, byte[] value) {
    try {
      return producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Could not send to " + topic, e);
    }
  }

  /** A read-committed consumer of every partition of {@code topic}, from the beginning. */
  KafkaConsumer<String, byte[]> reader(String topic) {
    Properties c = kafka.clientProperties();
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c);
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(i -> new TopicPartition(topic, i.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  /**
   * Everything committed on {@code topic} so far, as records: read up to the end offsets seen at
   * the start, then for {@code settle} more.
   */
  List<ConsumerRecord<String, byte[]>> readRecords(String topic, Duration settle) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = reader(topic)) {
      Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() < deadline
          && ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
      long settled = System.nanoTime() + settle.toNanos();
      while (System.nanoTime() < settled) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }

  /** Everything committed on {@code topic} so far, decoded; waits {@code settle} for stragglers. */
  List<Object> readAll(String topic, Duration settle) {
    List<Object> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = reader(topic)) {
      long deadline = System.nanoTime() + settle.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          out.add(decode(r.value()));
        }
      }
    }
    return out;
  }

  static Object decode(byte[] value) {
    try {
      return MessageCodec.decode(value);
    } catch (Exception e) {
      throw new AssertionError("Expected a message, but " + e.getMessage(), e);
    }
  }

  /** True once the group {@code groupId} has committed offsets up to the end of {@code topic}. */
  boolean consumedToEnd(String groupId, String topic) {
    try {
      Set<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toSet());
      Map<TopicPartition, Long> ends =
          admin
              .listOffsets(
                  partitions.stream()
                      .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
              .all()
              .get(10, TimeUnit.SECONDS)
              .entrySet()
              .stream()
              .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      return ends.entrySet().stream()
          .allMatch(
              e ->
                  e.getValue() == 0
                      || (committed.get(e.getKey()) != null
                          && committed.get(e.getKey()).offset() >= e.getValue()));
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }
}

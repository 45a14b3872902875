package io.kontroler.cli.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka's own latency on the bench's broker: one record produced (linger 0, acks all) and consumed
 * by a consumer already waiting on the partition, one at a time. A hop of the scheduler is two such
 * legs (the success to the scheduler, the launch to the executor) plus what the scheduler adds, so
 * {@code hop / (2 × leg)} says how far a hop is from what the broker allows.
 */
final class KafkaFloor {
  static final String TOPIC = "kontroler-bench-floor";

  /** One leg's latencies in milliseconds, in the order measured. */
  record Legs(List<Double> millis) {
    double p50() {
      return Stats.percentile(millis, 50);
    }

    double p99() {
      return Stats.percentile(millis, 99);
    }
  }

  private KafkaFloor() {}

  /** Measures {@code samples} legs after {@code warmUp} unmeasured ones. */
  static Legs measure(Properties client, int warmUp, int samples) {
    createTopic(client);
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    Properties c = new Properties();
    c.putAll(client);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    TopicPartition partition = new TopicPartition(TOPIC, 0);
    List<Double> legs = new ArrayList<>(samples);
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition);
      for (int i = 0; i < warmUp + samples; i++) {
        long sent = System.nanoTime();
        producer.send(
            new ProducerRecord<>(TOPIC, 0, null, ByteBuffer.allocate(8).putLong(sent).array()));
        long received = awaitOne(consumer, sent);
        if (i >= warmUp) {
          legs.add((received - sent) / 1e6);
        }
      }
    }
    return new Legs(legs);
  }

  private static long awaitOne(KafkaConsumer<byte[], byte[]> consumer, long sent) {
    long deadline = sent + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        if (ByteBuffer.wrap(r.value()).getLong() == sent) {
          return System.nanoTime();
        }
      }
    }
    throw new IllegalStateException("Expected the floor record back within 30 s, but it was not");
  }

  private static void createTopic(Properties client) {
    try (Admin admin = Admin.create(client)) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of()))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Could not create " + TOPIC + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating " + TOPIC, e);
    }
  }
}

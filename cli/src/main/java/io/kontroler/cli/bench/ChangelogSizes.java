package io.kontroler.cli.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The largest record the scheduler wrote to its changelogs (the topics that back its stores)
 * between two points: {@link #mark} notes where each changelog ends, {@link #largestSince} reads
 * from there to the end and returns the largest key plus value, in bytes.
 */
final class ChangelogSizes {
  private final Properties client;
  private final String applicationId;

  ChangelogSizes(Properties client, String applicationId) {
    this.client = client;
    this.applicationId = applicationId;
  }

  /** Where every changelog partition ends now. */
  Map<TopicPartition, Long> mark() {
    try (Admin admin = Admin.create(client)) {
      List<String> topics =
          admin.listTopics().names().get().stream()
              .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog"))
              .toList();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(topics)
          .allTopicNames()
          .get()
          .forEach(
              (topic, description) -> {
                for (TopicPartitionInfo p : description.partitions()) {
                  latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                }
              });
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not read the changelogs' ends: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading the changelogs' ends", e);
    }
  }

  /** The largest record (key + value bytes) written after {@code from}; 0 if none. */
  long largestSince(Map<TopicPartition, Long> from) {
    Map<TopicPartition, Long> to = mark();
    Properties c = new Properties();
    c.putAll(client);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(64 << 20));
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 << 20));
    long largest = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (Map.Entry<TopicPartition, Long> end : to.entrySet()) {
        TopicPartition tp = end.getKey();
        long start = from.getOrDefault(tp, 0L);
        if (start >= end.getValue()) {
          continue;
        }
        consumer.assign(List.of(tp));
        consumer.seek(tp, start);
        while (consumer.position(tp) < end.getValue()) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            largest =
                Math.max(
                    largest,
                    (long) Math.max(0, r.serializedKeySize())
                        + Math.max(0, r.serializedValueSize()));
          }
        }
      }
    }
    return largest;
  }
}

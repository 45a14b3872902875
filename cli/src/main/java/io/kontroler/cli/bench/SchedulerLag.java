package io.kontroler.cli.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * How many records of its input topics the scheduler's group has not committed yet: the sum over
 * their partitions of the end offset minus the group's committed offset.
 */
final class SchedulerLag implements AutoCloseable {
  private final Admin admin;
  private final String group;
  private final List<String> topics;

  SchedulerLag(Properties client, String group, List<String> topics) {
    this.admin = Admin.create(client);
    this.group = group;
    this.topics = List.copyOf(topics);
  }

  /** The lag now, in records. */
  long now() {
    try {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(topics)
          .allTopicNames()
          .get()
          .forEach(
              (topic, d) -> {
                for (TopicPartitionInfo p : d.partitions()) {
                  latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                }
              });
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      long lag = 0;
      for (var e : admin.listOffsets(latest).all().get().entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
      }
      return lag;
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not read the scheduler's lag: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading the scheduler's lag", e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}

package io.kontroler.broker.loop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a follower of a whole topic (no consumer group) has read up to, kept across the sessions of
 * its {@link SupervisedLoop}: a session that fails is reopened where the last one stopped, not at
 * the beginning.
 */
public final class Positions {
  private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();

  /** {@code record} was handled: the next one to read on its partition comes after it. */
  public void handled(ConsumerRecord<?, ?> record) {
    next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
  }

  /**
   * Assigns every partition of {@code topic} to {@code consumer} and seeks each to where this
   * follower stopped, or to the beginning; empty when the broker does not know the topic.
   */
  public List<TopicPartition> assignAll(Consumer<?, ?> consumer, String topic, Duration timeout) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    if (infos == null || infos.isEmpty()) {
      return List.of();
    }
    List<TopicPartition> partitions =
        infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    for (TopicPartition partition : partitions) {
      Long at = next.get(partition);
      if (at == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, at);
      }
    }
    return partitions;
  }
}

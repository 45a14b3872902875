package io.kontroler.scheduler.topology;

import io.kontroler.core.message.DagParts;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions the records the scheduler writes to {@code kontroler.dags} as Kafka's Java producer
 * does (murmur2 of the key's UTF-8 bytes), but a part of a DAG version by its DAG ({@link
 * DagParts#partitionKey}): its key is its own, so that compaction keeps it, while it must come
 * before its head on the partition the DAG's readers read.
 */
final class DagPartitioner implements StreamPartitioner<String, byte[]> {
  @Override
  public Optional<Set<Integer>> partitions(
      String topic, String key, byte[] value, int numPartitions) {
    if (key == null) {
      return Optional.empty();
    }
    return Optional.of(Set.of(partitionOf(key, numPartitions)));
  }

  /** The partition of the record of {@code kontroler.dags} keyed {@code key}. */
  static int partitionOf(String key, int numPartitions) {
    byte[] bytes = DagParts.partitionKey(key).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(bytes)) % numPartitions;
  }
}

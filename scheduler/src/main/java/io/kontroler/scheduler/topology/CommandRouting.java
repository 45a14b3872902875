package io.kontroler.scheduler.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;

/**
 * Where a command belongs: on the partition Kafka's Java producer puts its key (murmur2 of the
 * key's UTF-8 bytes), the partition that owns the DAG. Producers that hash keys otherwise (kcat and
 * every other librdkafka client by default) put some commands elsewhere; the partition that reads
 * one sends it on to its owner once, marked, so that a command is moved at most one time even if
 * the partition count this instance was told is not the topic's.
 *
 * @param partitions the commands topic's partition count; 0 or less: never move a command
 */
record CommandRouting(int partitions) {
  /** The header a moved command carries. */
  static final String MOVED = "kontroler-moved-from";

  /** The partition that owns {@code key}. */
  int ownerOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** True when a command keyed {@code key}, read on {@code partition}, must move to its owner. */
  boolean misplaced(String key, int partition, Headers headers) {
    return partitions > 0
        && key != null
        && partition >= 0
        && headers.lastHeader(MOVED) == null
        && ownerOf(key) != partition;
  }
}

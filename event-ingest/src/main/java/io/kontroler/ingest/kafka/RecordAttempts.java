package io.kontroler.ingest.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts how often the same record failed in a row, so that a loop retries a record whose failure
 * may be transient (the broker or a database away) and gives up on one that fails every time (a
 * poison record) instead of retrying it forever. Used by one loop thread.
 */
final class RecordAttempts {
  /** How many times a record is tried before it is given up on. */
  static final int MAX = 3;

  private String failing;
  private int attempts;

  /** Records a failure of {@code record}; true when it failed {@link #MAX} times in a row. */
  boolean failedTooOften(ConsumerRecord<?, ?> record) {
    String position = record.topic() + "-" + record.partition() + "@" + record.offset();
    if (position.equals(failing)) {
      attempts++;
    } else {
      failing = position;
      attempts = 1;
    }
    if (attempts >= MAX) {
      failing = null;
      return true;
    }
    return false;
  }

  /** How many times the record that failed last failed in a row. */
  int attempts() {
    return attempts;
  }
}

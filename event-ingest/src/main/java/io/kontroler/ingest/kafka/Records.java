package io.kontroler.ingest.kafka;

import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.DagParts;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.run.RunCommand;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decoding of the records the ingest follows; what it cannot read is logged and skipped. */
public final class Records {
  private static final Logger LOG = LoggerFactory.getLogger(Records.class);

  private static final String POOL_KEY = PoolMessage.statusKey("");

  private Records() {}

  /**
   * A record of {@code kontroler.dags}; a tombstone of a DAG's key reads as its deletion (a
   * DagTask's or a DAG part's tombstone as nothing).
   */
  public static Optional<Catalog> catalog(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      String key = record.key();
      if (key == null || key.startsWith("dagtask:") || key.startsWith(DagParts.PART_KEY_PREFIX)) {
        return Optional.empty();
      }
      return Optional.of(new DagDeleted(key, Instant.ofEpochMilli(record.timestamp())));
    }
    try {
      return Optional.of(MessageCodec.decode(record.value(), Catalog.class));
    } catch (InvalidMessageException e) {
      LOG.warn(
          "Skipped {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * A notification of {@code kontroler.run-events}; empty for what is no run's news, such as the
   * status of a shared pool (keyed {@code pool:<name>}, not by a DAG).
   */
  public static Optional<RunCommand.Notification> notification(
      ConsumerRecord<String, byte[]> record) {
    if (record.key() != null && record.key().startsWith(POOL_KEY)) {
      return Optional.empty();
    }
    try {
      return Optional.of(MessageCodec.decode(record.value(), RunCommand.Notification.class));
    } catch (InvalidMessageException e) {
      LOG.debug(
          "Skipped {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return Optional.empty();
    }
  }
}

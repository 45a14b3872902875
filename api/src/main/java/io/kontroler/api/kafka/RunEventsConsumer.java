package io.kontroler.api.kafka;

import io.kontroler.api.history.Projection;
import io.kontroler.api.pools.PoolStore;
import io.kontroler.broker.loop.ConsumerSession;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.run.RunCommand;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects {@code kontroler.run-events} into the history, in a consumer group so replicas share the
 * partitions. Offsets are committed after the batch is applied; a record applied twice (after a
 * crash or a failed batch) changes nothing, because the projection keeps each row's offset. The
 * shared pools' status records (keyed {@code pool:<name>}) go to the {@link PoolStore}.
 *
 * <p>Runs as the supervised loop {@value #LOOP}: when the database or Kafka fails, the consumer is
 * closed and opened again after a backoff, and carries on from the committed offsets. The group's
 * session timeout is short (6 s, heartbeats every 1.5 s), so that the partitions of a replica that
 * died move to another within seconds; {@code kafka.session.timeout.ms} overrides it.
 */
public final class RunEventsConsumer {
  public static final String LOOP = "history";
  private static final Logger LOG = LoggerFactory.getLogger(RunEventsConsumer.class);

  private RunEventsConsumer() {}

  /** The consumer's properties: the client's, then the group, read_committed and timeouts. */
  static Properties properties(Properties clientProperties, String group) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
    p.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1500");
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kontroler-api-history");
    return p;
  }

  /** The supervised loop; not started. */
  public static SupervisedLoop loop(
      Properties clientProperties,
      String topic,
      String group,
      Projection projection,
      PoolStore pools) {
    Properties p = properties(clientProperties, group);
    return new SupervisedLoop(LOOP, () -> new Session(p, topic, projection, pools));
  }

  /** One subscribed consumer; closed after a failure and replaced by a new one. */
  private static final class Session extends ConsumerSession {
    private final Projection projection;
    private final PoolStore pools;

    Session(Properties p, String topic, Projection projection, PoolStore pools) {
      super(p);
      this.projection = projection;
      this.pools = pools;
      consumer.subscribe(List.of(topic));
    }

    @Override
    public void step() {
      ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
      for (ConsumerRecord<String, byte[]> r : records) {
        apply(r);
      }
      if (!records.isEmpty()) {
        consumer.commitSync();
      }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
      Object event;
      try {
        event = MessageCodec.decode(r.value());
      } catch (InvalidMessageException e) {
        skip(r, e.getMessage());
        return;
      }
      if (event instanceof RunCommand.Notification n) {
        projection.apply(n, r.offset());
      } else if (event instanceof PoolMessage.PoolStatus status) {
        pools.apply(status, r.offset());
      } else {
        skip(r, "unknown message type '" + MessageCodec.typeOf(event) + "' on this topic");
      }
    }

    private static void skip(ConsumerRecord<String, byte[]> r, String why) {
      LOG.warn(
          "Skipping record {}-{}@{} of {}: {}", r.topic(), r.partition(), r.offset(), r.key(), why);
    }
  }
}

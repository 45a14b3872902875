package io.kontroler.ingest.kafka;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.broker.loop.ConsumerSession;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.ingest.Outbox;
import io.kontroler.ingest.trigger.CommandCheck;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the trigger topic, where systems outside Kontroler publish commands, to {@code
 * kontroler.commands}: records that keep the contract ({@link CommandCheck}) go on, the others to
 * the dead-letter topic with the reason. Offsets are committed after the records were published, so
 * a crash repeats records rather than losing them (a repeated run request starts one run).
 *
 * <p>It runs as a {@link SupervisedLoop}: when forwarding a record fails (the broker away), the
 * consumer is opened again from the committed offsets and the record tried again; a record that
 * fails {@link RecordAttempts#MAX} times in a row is dead-lettered with the error, and the records
 * after it carry on.
 */
public final class TriggerForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TriggerForwarder.class);

  private final KafkaSettings kafka;
  private final String topic;
  private final String groupId;
  private final Outbox outbox;
  private final Clock clock;
  private final RecordAttempts attempts = new RecordAttempts();
  private final SupervisedLoop loop;

  public TriggerForwarder(
      KafkaSettings kafka, String topic, String groupId, Outbox outbox, Clock clock) {
    this(kafka, topic, groupId, outbox, clock, SupervisedLoop.Backoff.DEFAULT);
  }

  public TriggerForwarder(
      KafkaSettings kafka,
      String topic,
      String groupId,
      Outbox outbox,
      Clock clock,
      SupervisedLoop.Backoff backoff) {
    this.kafka = kafka;
    this.topic = topic;
    this.groupId = groupId;
    this.outbox = outbox;
    this.clock = clock;
    this.loop = new SupervisedLoop("kontroler-ingest-triggers", Session::new, backoff, clock);
  }

  /** The loop, for {@link io.kontroler.broker.loop.LoopHealth}. */
  public SupervisedLoop loop() {
    return loop;
  }

  public TriggerForwarder start() {
    loop.start();
    return this;
  }

  private Properties consumerProperties() {
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // a producer of triggers may write transactionally: what it aborted is no command
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }

  private final class Session extends ConsumerSession {
    Session() {
      super(consumerProperties());
      consumer.subscribe(List.of(topic));
    }

    @Override
    public void step() {
      Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        try {
          forward(record);
        } catch (RuntimeException e) {
          if (!attempts.failedTooOften(record)) {
            commit(done); // what was forwarded before it is not forwarded again
            throw new IllegalStateException(
                "Expected to forward "
                    + position(record)
                    + ", but it failed (attempt "
                    + attempts.attempts()
                    + "); trying it again",
                e);
          }
          deadLetter(record, "forwarding failed " + RecordAttempts.MAX + " times: " + e);
        }
        done.put(
            new TopicPartition(record.topic(), record.partition()),
            new OffsetAndMetadata(record.offset() + 1));
      }
      commit(done);
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
      if (!offsets.isEmpty()) {
        consumer.commitSync(offsets);
      }
    }
  }

  private void forward(ConsumerRecord<String, byte[]> record) {
    CommandCheck.Result result =
        CommandCheck.check(
            record.topic(), record.partition(), record.offset(), record.key(), record.value());
    if (result.ok()) {
      outbox.command(result.command());
    } else {
      deadLetter(record, result.reason());
    }
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    LOG.warn("Dead-lettered {}: {}", position(record), reason);
    String value =
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    outbox.deadLetter(
        record.key(),
        new DeadLetter(
            reason,
            record.topic(),
            record.partition(),
            record.offset(),
            record.key(),
            value,
            clock.instant()));
  }

  private static String position(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  @Override
  public void close() {
    loop.close();
  }
}

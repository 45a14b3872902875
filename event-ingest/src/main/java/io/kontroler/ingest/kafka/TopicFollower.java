package io.kontroler.ingest.kafka;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.broker.loop.ConsumerSession;
import io.kontroler.broker.loop.Positions;
import io.kontroler.broker.loop.SupervisedLoop;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one topic from the beginning, without a consumer group, reading only
 * committed records, and hands each record to a handler; says when it has read what the topic held
 * when it started. It runs as a {@link SupervisedLoop}: after a failure the consumer is opened
 * again where it was. A record whose handler throws is tried again, and skipped (logged, counted as
 * a failure of the loop) after {@link RecordAttempts#MAX} failures in a row.
 */
public final class TopicFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

  private final KafkaSettings kafka;
  private final String topic;
  private final String clientId;
  private final Consumer<ConsumerRecord<String, byte[]>> handler;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  // the next offset to read per partition, kept across sessions of the loop
  private final Positions positions = new Positions();
  private final RecordAttempts attempts = new RecordAttempts();
  private final SupervisedLoop loop;
  private volatile Map<TopicPartition, Long> endAtStart;

  public TopicFollower(
      KafkaSettings kafka,
      String topic,
      String clientId,
      Consumer<ConsumerRecord<String, byte[]>> handler) {
    this(kafka, topic, clientId, handler, SupervisedLoop.Backoff.DEFAULT);
  }

  public TopicFollower(
      KafkaSettings kafka,
      String topic,
      String clientId,
      Consumer<ConsumerRecord<String, byte[]>> handler,
      SupervisedLoop.Backoff backoff) {
    this.kafka = kafka;
    this.topic = topic;
    this.clientId = clientId;
    this.handler = handler;
    this.loop = new SupervisedLoop(clientId, Session::new, backoff, java.time.Clock.systemUTC());
  }

  /** The loop, for {@link io.kontroler.broker.loop.LoopHealth}. */
  public SupervisedLoop loop() {
    return loop;
  }

  public TopicFollower start() {
    loop.start();
    return this;
  }

  /** Waits until the records the topic held at start were handled. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Properties consumerProperties() {
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // the scheduler writes transactionally: what it aborted must never be seen
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // topics are created by setup; a follower that finds none says so rather than create it
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    return props;
  }

  private final class Session extends ConsumerSession {
    Session() {
      super(consumerProperties());
      try {
        assign();
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }

    private void assign() {
      List<TopicPartition> partitions =
          positions.assignAll(consumer, topic, Duration.ofSeconds(10));
      if (partitions.isEmpty()) {
        throw new IllegalStateException("Expected topic " + topic + " to exist, but it does not");
      }
      if (endAtStart == null) {
        endAtStart = new HashMap<>(consumer.endOffsets(partitions));
      }
    }

    @Override
    public void step() {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        handle(record);
        positions.handled(record);
      }
      if (caughtUp.getCount() > 0 && reached(endAtStart)) {
        LOG.info("Read {} up to where it was at start", topic);
        caughtUp.countDown();
      }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
      try {
        handler.accept(record);
      } catch (RuntimeException e) {
        if (!attempts.failedTooOften(record)) {
          throw new IllegalStateException(
              "Expected to handle "
                  + record.topic()
                  + "-"
                  + record.partition()
                  + "@"
                  + record.offset()
                  + ", but the handler failed (attempt "
                  + attempts.attempts()
                  + "); reading it again",
              e);
        }
        LOG.error(
            "Skipped {}-{}@{} (key {}): the handler failed {} times",
            record.topic(),
            record.partition(),
            record.offset(),
            record.key(),
            RecordAttempts.MAX,
            e);
      }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
      for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
        if (consumer.position(e.getKey()) < e.getValue()) {
          return false;
        }
      }
      return true;
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}

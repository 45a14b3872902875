package io.kontroler.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.message.ExecutorHeartbeat;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What a worker's heartbeat says, and where it goes, against Kafka's MockProducer. */
class HeartbeatsTest {
  private static final Topics TOPICS = Topics.DEFAULT;
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void aHeartbeatReachesEveryOutcomesPartitionKeyedByTheExecutorWithTheClocksTime()
      throws Exception {
    MockProducer<String, byte[]> producer = producer(true, 3);
    Heartbeats heartbeats = heartbeats(producer);
    heartbeats.wakeup(); // the step returns once the broker has them, without its wait

    heartbeats.step();

    assertThat(producer.history()).extracting(ProducerRecord::partition).containsExactly(0, 1, 2);
    assertThat(producer.history())
        .allSatisfy(
            record -> {
              assertThat(record.topic()).isEqualTo(TOPICS.taskOutcomes());
              assertThat(record.key()).isEqualTo("executor:exec-a");
              assertThat(MessageCodec.decode(record.value()))
                  .isEqualTo(new ExecutorHeartbeat("exec-a", CLOCK.instant()));
            });
  }

  @Test
  void aPartitionThatDoesNotAnswerHoldsUpNoHeartbeat() throws Exception {
    MockProducer<String, byte[]> producer = producer(false, 3);
    Heartbeats heartbeats = heartbeats(producer, Duration.ofHours(1));
    heartbeats.wakeup();

    heartbeats.step();
    heartbeats.step();

    assertThat(producer.history())
        .extracting(ProducerRecord::partition)
        .containsExactly(0, 1, 2, 0, 1, 2);
  }

  @Test
  void aPartitionThatAcknowledgesNothingForFiveIntervalsFailsTheStepWithItsRefusal() {
    MockProducer<String, byte[]> producer = producer(false, 2);
    Heartbeats heartbeats = heartbeats(producer, Duration.ofMillis(200));
    heartbeats.wakeup();

    Throwable failure =
        await()
            .atMost(Duration.ofSeconds(10))
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(20))
            .until(
                () -> {
                  try {
                    heartbeats.step();
                    producer.completeNext(); // partition 0 answers, partition 1 refuses
                    producer.errorNext(new KafkaException("broker away"));
                    return null;
                  } catch (IllegalStateException e) {
                    return e;
                  }
                },
                e -> e != null);

    assertThat(failure)
        .hasMessageStartingWith("No heartbeat acknowledged on partition 1 ")
        .hasRootCauseMessage("broker away");
    assertThat(producer.history().size()).isGreaterThan(2);
  }

  private static Heartbeats heartbeats(MockProducer<String, byte[]> producer) {
    return heartbeats(producer, Duration.ofSeconds(1));
  }

  private static Heartbeats heartbeats(MockProducer<String, byte[]> producer, Duration interval) {
    return new Heartbeats(new Outcomes(producer, TOPICS), "exec-a", interval, CLOCK);
  }

  private static MockProducer<String, byte[]> producer(boolean autoComplete, int partitions) {
    Node node = new Node(0, "localhost", 9092);
    List<PartitionInfo> infos =
        IntStream.range(0, partitions)
            .mapToObj(
                p ->
                    new PartitionInfo(
                        TOPICS.taskOutcomes(), p, node, new Node[] {node}, new Node[] {node}))
            .toList();
    Cluster cluster = new Cluster("test", List.of(node), infos, Set.of(), Set.of());
    return new MockProducer<>(
        cluster, autoComplete, null, new StringSerializer(), new ByteArraySerializer());
  }
}

package io.kontroler.broker.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PositionsTest {
  private static final TopicPartition P0 = new TopicPartition("kontroler.dags", 0);
  private static final TopicPartition P1 = new TopicPartition("kontroler.dags", 1);

  @Test
  void aNewSessionCarriesOnWhereTheLastOneStoppedAndReadsTheRestFromTheBeginning() {
    Positions positions = new Positions();
    positions.handled(new ConsumerRecord<>("kontroler.dags", 0, 41, "k", "v"));
    MockConsumer<String, String> consumer = consumerOf(2);

    List<TopicPartition> assigned = positions.assignAll(consumer, "kontroler.dags", Duration.ZERO);

    assertThat(assigned).containsExactly(P0, P1);
    assertThat(consumer.position(P0)).isEqualTo(42);
    assertThat(consumer.position(P1)).isZero();
  }

  @Test
  void aTopicTheBrokerDoesNotKnowAssignsNothing() {
    MockConsumer<String, String> consumer = consumerOf(0);

    assertThat(new Positions().assignAll(consumer, "kontroler.dags", Duration.ZERO)).isEmpty();
    assertThat(consumer.assignment()).isEmpty();
  }

  private static MockConsumer<String, String> consumerOf(int partitions) {
    MockConsumer<String, String> consumer =
        new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    if (partitions > 0) {
      Node node = new Node(1, "localhost", 9092);
      consumer.updatePartitions(
          "kontroler.dags",
          java.util.stream.IntStream.range(0, partitions)
              .mapToObj(p -> new PartitionInfo("kontroler.dags", p, node, null, null))
              .toList());
      consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }
    return consumer;
  }
}

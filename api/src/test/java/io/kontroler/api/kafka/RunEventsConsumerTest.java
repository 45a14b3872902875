package io.kontroler.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class RunEventsConsumerTest {

  @Test
  void readsCommittedAndLeavesTheGroupFastEnoughToMovePartitionsWithinSeconds() {
    Properties client = new Properties();
    client.put("bootstrap.servers", "broker:9092");
    client.put("isolation.level", "read_uncommitted");
    Properties p = RunEventsConsumer.properties(client, "kontroler-api");
    assertThat(p)
        .containsEntry("group.id", "kontroler-api")
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("session.timeout.ms", "6000")
        .containsEntry("heartbeat.interval.ms", "1500");

    client.put("session.timeout.ms", "10000");
    assertThat(RunEventsConsumer.properties(client, "g"))
        .containsEntry("session.timeout.ms", "10000");
  }
}

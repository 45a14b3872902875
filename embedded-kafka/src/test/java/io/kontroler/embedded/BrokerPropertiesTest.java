package io.kontroler.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {
  private static final Path LOGS = Path.of("/data/kafka");

  @Test
  void aSingleNodeIsItsOwnQuorumWithReplicationOfOne() {
    Map<String, Object> p = BrokerProperties.singleNode(LOGS, 9092, 9093).toMap();

    assertThat(p)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("node.id", "1")
        .containsEntry("controller.quorum.voters", "1@localhost:9093")
        .containsEntry("listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093")
        .containsEntry("advertised.listeners", "PLAINTEXT://localhost:9092")
        .containsEntry("log.dirs", LOGS.toString())
        .containsEntry("num.partitions", "1")
        .containsEntry("default.replication.factor", "1")
        .containsEntry("min.insync.replicas", "1")
        .containsEntry("offsets.topic.num.partitions", "5")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("num.io.threads", "4")
        .containsEntry("auto.create.topics.enable", "true")
        .containsEntry("transaction.max.timeout.ms", "900000");
  }

  @Test
  void aClusterNodeListensOnItsOwnPortsAndVotesWithEveryNode() {
    Map<String, Object> p =
        BrokerProperties.clusterNode(2, LOGS, List.of(9001, 9002, 9003), List.of(9101, 9102, 9103))
            .replication(3, 2)
            .partitions(6, 6)
            .ioThreads(2)
            .autoCreateTopics(false)
            .toMap();

    assertThat(p)
        .containsEntry("node.id", "2")
        .containsEntry(
            "controller.quorum.voters", "1@localhost:9101,2@localhost:9102,3@localhost:9103")
        .containsEntry("listeners", "PLAINTEXT://localhost:9002,CONTROLLER://localhost:9102")
        .containsEntry("num.partitions", "6")
        .containsEntry("default.replication.factor", "3")
        .containsEntry("offsets.topic.replication.factor", "3")
        .containsEntry("transaction.state.log.replication.factor", "3")
        .containsEntry("share.coordinator.state.topic.replication.factor", "3")
        .containsEntry("min.insync.replicas", "2")
        .containsEntry("transaction.state.log.min.isr", "2")
        .containsEntry("share.coordinator.state.topic.min.isr", "2")
        .containsEntry("offsets.topic.num.partitions", "6")
        .containsEntry("num.io.threads", "2")
        .containsEntry("auto.create.topics.enable", "false");
  }

  @Test
  void extraPropertiesAddToAndReplaceTheDefaults() {
    Map<String, Object> p =
        BrokerProperties.singleNode(LOGS, 9092, 9093)
            .with("num.partitions", "6")
            .with("broker.session.timeout.ms", "3000")
            .toMap();

    assertThat(p)
        .containsEntry("num.partitions", "6")
        .containsEntry("broker.session.timeout.ms", "3000");
  }

  @Test
  void refusesANodeOutsideTheCluster() {
    assertThatThrownBy(
            () -> BrokerProperties.clusterNode(4, LOGS, List.of(1, 2, 3), List.of(4, 5, 6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected a node id in 1..3, but got 4");
  }
}

package io.kontroler.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.junit.jupiter.api.Test;

class ClientPropertiesTest {

  @Test
  void launchesAreReadCommittedWithCooperativeRebalancingAndShortSessions() {
    Properties props = ExecutorWorker.consumerProperties(ExecutorConfig.fromFlat(Map.of()));
    assertThat(props)
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("partition.assignment.strategy", CooperativeStickyAssignor.class.getName())
        .containsEntry("session.timeout.ms", "6000")
        .containsEntry("heartbeat.interval.ms", "1500")
        .containsEntry("enable.auto.commit", "false");
  }

  @Test
  void timeoutsCanBeTunedButUncommittedReadsCanNotBeAskedFor() {
    Properties props =
        ExecutorWorker.consumerProperties(
            ExecutorConfig.fromFlat(
                Map.of(
                    "kafka.session.timeout.ms", "10000",
                    "kafka.heartbeat.interval.ms", "3000",
                    "kafka.isolation.level", "read_uncommitted")));
    assertThat(props)
        .containsEntry("session.timeout.ms", "10000")
        .containsEntry("heartbeat.interval.ms", "3000")
        .containsEntry("isolation.level", "read_committed");
  }

  @Test
  void outcomesAreAcknowledgedByAllInSyncReplicasAndWrittenOnce() {
    Properties props = ExecutorWorker.producerProperties(ExecutorConfig.fromFlat(Map.of()));
    assertThat(props).containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
  }

  @Test
  void outcomesLeaveAtOnceUnlessTheKafkaSettingsSayOtherwise() {
    assertThat(ExecutorWorker.producerProperties(ExecutorConfig.fromFlat(Map.of())))
        .containsEntry("linger.ms", "0");
    assertThat(
            ExecutorWorker.producerProperties(
                ExecutorConfig.fromFlat(Map.of("kafka.linger.ms", "20"))))
        .containsEntry("linger.ms", "20");
  }
}

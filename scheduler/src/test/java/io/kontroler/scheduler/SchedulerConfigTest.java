package io.kontroler.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class SchedulerConfigTest {

  @Test
  void defaultsToExactlyOnceWithShortCommitsAndTheDefaultTopics() {
    SchedulerConfig config = SchedulerConfig.defaults("k:9092");

    assertThat(config.processingGuarantee()).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(20));
    assertThat(config.promptCommitMaxLag()).isEqualTo(Duration.ofMillis(10));
    assertThat(config.partitions()).isEqualTo(6);
    assertThat(config.topics().commands()).isEqualTo("kontroler.commands");
    assertThat(config.toStreamsProperties())
        .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "kontroler-scheduler")
        .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092")
        .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
  }

  @Test
  void readsFlatKeysAndPassesStreamsAndKafkaPropertiesThrough() {
    SchedulerConfig config =
        SchedulerConfig.fromFlat(
            Map.of(
                "kafka.bootstrap.servers", "a:1",
                "kafka.security.protocol", "SASL_SSL",
                "scheduler.processing.guarantee", "at_least_once",
                "scheduler.num.stream.threads", "3",
                "topics.commands", "my.commands",
                "streams.num.standby.replicas", "2"));

    assertThat(config.numStreamThreads()).isEqualTo(3);
    assertThat(config.topics().commands()).isEqualTo("my.commands");
    assertThat(config.toStreamsProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once")
        .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "2");
    assertThat(SchedulerConfig.fromFlat(config.toFlat())).isEqualTo(config);
  }

  @Test
  void masksSecretsWhenLogged() {
    SchedulerConfig config =
        SchedulerConfig.defaults("k:9092").with(Map.of("kafka.ssl.keystore.password", "hunter2"));

    assertThat(config.toString()).doesNotContain("hunter2").contains("ssl.keystore.password");
  }

  @Test
  void rejectsAnUnknownProcessingGuarantee() {
    assertThatThrownBy(
            () ->
                SchedulerConfig.defaults("k:9092")
                    .with(Map.of("scheduler.processing.guarantee", "exactly_once")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly_once_v2");
  }
}

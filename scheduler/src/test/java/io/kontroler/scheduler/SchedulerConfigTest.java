package io.kontroler.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
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
    assertThat(SchedulerConfig.fromFlat(SchedulerConfig.TABLE.flat(config))).isEqualTo(config);
  }

  @Test
  void holdsRecordsUntilTheCommitUnderExactlyOnceAndSendsThemAtOnceOtherwise() {
    SchedulerConfig exactlyOnce = SchedulerConfig.defaults("k:9092");
    SchedulerConfig atLeastOnce =
        exactlyOnce.with(Map.of("scheduler.processing.guarantee", "at_least_once"));
    SchedulerConfig overridden = exactlyOnce.with(Map.of("streams.producer.linger.ms", "0"));

    assertThat(exactlyOnce.toStreamsProperties())
        .containsEntry(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 20L);
    assertThat(atLeastOnce.toStreamsProperties())
        .containsEntry(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0L);
    assertThat(overridden.toStreamsProperties())
        .containsEntry(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "0");
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

  @Test
  void setsFastFailoverDefaultsThatStreamsPropertiesOverride() {
    SchedulerConfig config = SchedulerConfig.defaults("k:9092");

    assertThat(config.attemptLease()).isEqualTo(Duration.ofMillis(6000));
    assertThat(config.toStreamsProperties())
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000)
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1500)
        .containsEntry(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 60000)
        .containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 7000)
        .containsEntry(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, 10000L)
        .containsEntry(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG, 60000L);

    SchedulerConfig tuned =
        config.with(
            Map.of(
                "executor.attempt.lease.ms", "9000",
                "scheduler.session.timeout.ms", "10000",
                "scheduler.transaction.timeout.ms", "12000",
                "streams.heartbeat.interval.ms", "500"));
    assertThat(tuned.attemptLease()).isEqualTo(Duration.ofMillis(9000));
    assertThat(tuned.toStreamsProperties())
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10000)
        .containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 12000)
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
    assertThat(SchedulerConfig.fromFlat(SchedulerConfig.TABLE.flat(tuned))).isEqualTo(tuned);
  }

  @Test
  void rejectsAHeartbeatIntervalThatIsNotBelowTheSessionTimeout() {
    assertThatThrownBy(
            () ->
                SchedulerConfig.defaults("k:9092")
                    .with(Map.of("scheduler.heartbeat.interval.ms", "6000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scheduler.heartbeat.interval.ms below scheduler.session.timeout.ms");
  }
}

package io.kontroler.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kontroler.core.message.Topics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

  @Test
  void flatConfigurationFallsBackToTheDocumentedDefaults() {
    IngestConfig config = IngestConfig.fromFlat(Map.of("ingest.instance-id", "node-1"));

    assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(config.topics()).isEqualTo(Topics.DEFAULT);
    assertThat(config.triggerTopic()).isEqualTo("kontroler.triggers");
    assertThat(config.quartz()).isEqualTo(IngestConfig.Quartz.MEMORY);
    assertThat(config.kubernetes().enabled()).isFalse();
    assertThat(config.startupTimeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void readsTheClusteredStoreAndTheWatchedNamespacesAndMasksThePassword() {
    IngestConfig config =
        IngestConfig.fromFlat(
            Map.of(
                "kafka.bootstrap.servers", "kafka:9092",
                "ingest.instance-id", "node-1",
                "ingest.quartz.mode", "jdbc",
                "ingest.quartz.jdbc-url", "jdbc:postgresql://db/kontroler",
                "ingest.quartz.jdbc-password", "s3cret",
                "ingest.kubernetes.enabled", "true",
                "ingest.kubernetes.namespaces", "team-a, team-b"));

    assertThat(config.quartz().mode()).isEqualTo(IngestConfig.QuartzMode.jdbc);
    assertThat(config.kubernetes().namespaces()).containsExactly("team-a", "team-b");
    assertThat(config.toString())
        .doesNotContain("s3cret")
        .contains("ingest.quartz.jdbc-password=******");
  }

  @Test
  void readsTopicNamesFromTheKeysEveryComponentUses() {
    IngestConfig config =
        IngestConfig.fromFlat(
            Map.of(
                "ingest.instance-id", "n",
                "topics.commands", "team.commands",
                "topics.run-events", "team.run-events"));

    assertThat(config.topics().commands()).isEqualTo("team.commands");
    assertThat(config.topics().runEvents()).isEqualTo("team.run-events");
    assertThat(config.topics().dags()).isEqualTo(Topics.DEFAULT.dags());
  }

  @Test
  void jdbcModeNeedsAUrl() {
    assertThatThrownBy(
            () ->
                IngestConfig.fromFlat(
                    Map.of("ingest.instance-id", "n", "ingest.quartz.mode", "jdbc")))
        .hasMessageContaining("ingest.quartz.jdbc-url");
  }
}

package io.kontroler.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kontroler.core.message.Topics;
import io.kontroler.logstore.LogStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorConfigTest {

  @Test
  void defaultsRunProcessesWithLocalLogs() {
    ExecutorConfig config = ExecutorConfig.fromFlat(Map.of());
    assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(config.groupId()).isEqualTo("kontroler-executor");
    assertThat(config.topics()).isEqualTo(Topics.DEFAULT);
    assertThat(config.backend()).isEqualTo(ExecutorConfig.Backend.PROCESS);
    assertThat(config.inFlightLimit()).isEqualTo(32);
    assertThat(config.dataDir()).isEqualTo(Path.of("kontroler-data"));
    assertThat(config.logStore()).isEqualTo(LogStoreConfig.defaults(Path.of("kontroler-data")));
    assertThat(config.kubernetesNamespace()).isNull();
    assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(10));
    assertThat(config.resyncInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.notReadyRetry()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.executorId()).endsWith("-" + ProcessHandle.current().pid());
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.processWorkDir())
        .isEqualTo(
            Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("kontroler-work-" + System.getProperty("user.name")));
    assertThat(config.processWorkDir().startsWith(config.dataDir().toAbsolutePath())).isFalse();
    assertThat(config.processUser()).isEqualTo("nobody");
  }

  @Test
  void readsFlatKeys() {
    ExecutorConfig config =
        ExecutorConfig.fromFlat(
            Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", "kafka:9092"),
                Map.entry("kafka.security.protocol", "SASL_SSL"),
                Map.entry("kafka.sasl.jaas.config", "secret-jaas"),
                Map.entry("executor.group.id", "workers"),
                Map.entry("executor.backend", "kubernetes"),
                Map.entry("executor.in.flight.limit", "100"),
                Map.entry("executor.data.dir", "/var/lib/kontroler"),
                Map.entry("executor.kubernetes.namespace", "jobs"),
                Map.entry("executor.poll.ms", "20"),
                Map.entry("executor.id", "exec-7"),
                Map.entry("executor.heartbeat.interval.ms", "250"),
                Map.entry("executor.process.work-dir", "/srv/tasks"),
                Map.entry("executor.process.user", "tasks"),
                Map.entry("topics.task-launches", "launches"),
                Map.entry("logs.store", "s3"),
                Map.entry("logs.s3.bucket", "b"),
                Map.entry("logs.s3.secret.access.key", "s3-secret"),
                Map.entry("logs.s3.access.key.id", "id")));
    assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.kafka().properties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(config.groupId()).isEqualTo("workers");
    assertThat(config.backend()).isEqualTo(ExecutorConfig.Backend.KUBERNETES);
    assertThat(config.inFlightLimit()).isEqualTo(100);
    assertThat(config.kubernetesNamespace()).isEqualTo("jobs");
    assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(20));
    assertThat(config.topics().taskLaunches()).isEqualTo("launches");
    assertThat(config.executorId()).isEqualTo("exec-7");
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.processWorkDir()).isEqualTo(Path.of("/srv/tasks"));
    assertThat(config.processUser()).isEqualTo("tasks");
    assertThat(config.logStore().kind()).isEqualTo(LogStoreConfig.Kind.S3);
    assertThat(config.logStore().dataDir()).isEqualTo(Path.of("/var/lib/kontroler"));
    assertThat(config.toString()).doesNotContain("secret-jaas").doesNotContain("s3-secret");
  }

  @Test
  void rejectsAHeartbeatIntervalOfZero() {
    assertThatThrownBy(() -> ExecutorConfig.fromFlat(Map.of("executor.heartbeat.interval.ms", "0")))
        .hasMessageContaining("heartbeat");
  }

  @Test
  void rejectsAnInFlightLimitBelowOne() {
    assertThatThrownBy(() -> ExecutorConfig.fromFlat(Map.of("executor.in.flight.limit", "0")))
        .hasMessageContaining("executor.in.flight.limit");
  }
}

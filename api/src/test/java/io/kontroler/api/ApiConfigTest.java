package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kontroler.logstore.LogStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

  @Test
  void defaultsAreDocumented() {
    ApiConfig c = ApiConfig.defaults(Path.of("/data"));
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:sqlite:/data/kontroler.db");
    assertThat(c.consumerGroup()).isEqualTo("kontroler-api");
    assertThat(c.maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(c.tokenTtl()).isEqualTo(Duration.ofHours(12));
    assertThat(c.adminPassword()).isNull();
    assertThat(c.logStore().kind()).isEqualTo(LogStoreConfig.Kind.LOCAL);
  }

  @Test
  void readsTheEnvironmentAndMasksSecrets() {
    ApiConfig c =
        ApiConfig.fromEnvironment(
            Map.of(
                "KONTROLER_API_PORT", "9090",
                "KONTROLER_API_DB_URL", "jdbc:postgresql://db/k?password=hunter2",
                "KONTROLER_API_DB_PASSWORD", "s3cr3t",
                "KONTROLER_ADMIN_PASSWORD", "adminpw",
                "KONTROLER_KAFKA_SASL_JAAS_CONFIG", "user=x password=y",
                "KONTROLER_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KONTROLER_TOPICS_RUN__EVENTS", "my.run-events",
                "KONTROLER_API_TOKEN_TTL", "PT1H",
                "KONTROLER_API_LAG_GROUPS", "kontroler-api, kontroler-scheduler"));
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.adminPassword()).isEqualTo("adminpw");
    assertThat(c.kafka().properties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(c.topics().runEvents()).isEqualTo("my.run-events");
    assertThat(c.tokenTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(c.lagGroups()).containsExactly("kontroler-api", "kontroler-scheduler");
    String shown = c.toString();
    assertThat(shown)
        .doesNotContain("hunter2")
        .doesNotContain("s3cr3t")
        .doesNotContain("adminpw")
        .doesNotContain("password=y")
        .contains("SASL_SSL");
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> ApiConfig.defaults(Path.of("d")).withPort(70000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ApiConfig.defaults(Path.of("d")).withLimits(0, 1, null, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

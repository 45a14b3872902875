package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kontroler.api.db.Database;
import io.kontroler.core.config.ConfigException;
import io.kontroler.core.config.EnvironmentNames;
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
    assertThat(c.databasePool()).isEqualTo(new Database.Pool(10, Duration.ofSeconds(5)));
    assertThat(c.submissionTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.webhookAllowHosts()).isEmpty();
    assertThat(c.webhookLanes()).isEqualTo(16);
  }

  @Test
  void readsThePoolSubmissionAndWebhookKeys() {
    ApiConfig c =
        ApiConfig.fromFlat(
            EnvironmentNames.keys(
                Map.of(
                    "KONTROLER_API_DB_POOL_SIZE", "4",
                    "KONTROLER_API_DB_CONNECTION_TIMEOUT", "PT2S",
                    "KONTROLER_API_SUBMISSION_TIMEOUT", "PT30S",
                    "KONTROLER_API_WEBHOOKS_ALLOW__HOSTS", "hooks.internal, 10.0.0.0/8",
                    "KONTROLER_API_WEBHOOK_LANES", "3")));
    assertThat(c.databasePool()).isEqualTo(new Database.Pool(4, Duration.ofSeconds(2)));
    assertThat(c.submissionTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.webhookAllowHosts()).containsExactly("hooks.internal", "10.0.0.0/8");
    assertThat(c.webhookLanes()).isEqualTo(3);
    assertThat(c.toString()).contains("api.webhooks.allow-hosts=hooks.internal,10.0.0.0/8");
  }

  @Test
  void readsTheEnvironmentAndMasksSecrets() {
    ApiConfig c =
        ApiConfig.fromFlat(
            EnvironmentNames.keys(
                Map.of(
                    "KONTROLER_API_PORT", "9090",
                    "KONTROLER_API_DB_URL", "jdbc:postgresql://db/k?password=hunter2",
                    "KONTROLER_API_DB_PASSWORD", "s3cr3t",
                    "KONTROLER_ADMIN_PASSWORD", "adminpw",
                    "KONTROLER_KAFKA_SASL_JAAS_CONFIG", "user=x password=y",
                    "KONTROLER_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                    "KONTROLER_TOPICS_RUN__EVENTS", "my.run-events",
                    "KONTROLER_API_TOKEN_TTL", "PT1H",
                    "KONTROLER_API_LAG_GROUPS", "kontroler-api, kontroler-scheduler")));
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
  void securityLimitsHaveSafeDefaultsAndTheSessionNeverOutlivesTheTokenMaximum() {
    ApiConfig c = ApiConfig.defaults(Path.of("/data"));
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.passwordIterations()).isGreaterThanOrEqualTo(600_000);
    assertThat(c.security().maxTokenTtl()).isEqualTo(Duration.ofDays(30));
    assertThat(c.security().loginFreeFailures()).isEqualTo(5);
    assertThat(c.security().loginMaxDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.security().allowedOrigins()).isEmpty();
    assertThat(c.security().maxStreams()).isEqualTo(200);
    assertThat(c.security().maxStreamsPerUser()).isEqualTo(10);
    ApiConfig set =
        ApiConfig.fromFlat(
            Map.of(
                "api.allowed.origins", " https://K.example.com , ",
                "api.streams.per.user", "2",
                "api.token.max.ttl", "P1D"));
    assertThat(set.security().allowedOrigins()).containsExactly("https://k.example.com");
    assertThat(set.security().maxStreamsPerUser()).isEqualTo(2);
    assertThatThrownBy(
            () -> ApiConfig.fromFlat(Map.of("api.token.ttl", "P2D", "api.token.max.ttl", "P1D")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("api.token.max.ttl");
    assertThatThrownBy(() -> ApiConfig.fromFlat(Map.of("api.streams.max", "0")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> ApiConfig.defaults(Path.of("d")).with(ApiConfig.PORT.set(70000)))
        .hasMessageContaining("api.port: Expected a number in 0..65535, but got '70000'");
    assertThatThrownBy(
            () ->
                ApiConfig.fromFlat(
                    Map.of(
                        "api.max.body.bytes", "0",
                        "api.webhook.backoff", "soon",
                        "api.db.pool.size", "many")))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .containsExactly(
                        "api.db.pool.size: Expected an integer, but got 'many'",
                        "api.max.body.bytes: Expected a number >= 1, but got '0'",
                        "api.webhook.backoff: Expected an ISO-8601 duration such as PT15S, but"
                            + " got 'soon'"));
  }
}

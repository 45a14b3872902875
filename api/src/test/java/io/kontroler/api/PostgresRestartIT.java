package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.broker.KafkaSettings;
import io.kontroler.broker.TopicSetup;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunCommand;
import io.kontroler.embedded.EmbeddedKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarts under a running api: while it is down, readiness says so and requests answer
 * 503; once it is back on the same port and data, the history catches up with what happened
 * meanwhile and run lookups answer 200 again, all without restarting the api.
 */
class PostgresRestartIT {
  private static final Topics TOPICS = Topics.DEFAULT;
  private static final String PASSWORD = "restart-admin-pw";

  @TempDir Path kafkaDir;
  @TempDir Path pgDir;
  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private EmbeddedPostgres postgres;
  private int pgPort;

  @AfterEach
  void stop() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private EmbeddedPostgres startPostgres() throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(pgDir)
        .setCleanDataDirectory(false)
        .setPort(pgPort)
        .setServerConfig("fsync", "off")
        .start();
  }

  @Test
  void aPostgresqlRestartCostsAPauseNotTheApi() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      pgPort = s.getLocalPort();
    }
    postgres = startPostgres();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE history");
    }
    kafka = io.kontroler.testkafka.TestKafka.start(kafkaDir);
    TopicSetup.ensureTopics(KafkaSettings.of(kafka.bootstrapServers()), TOPICS, 3, (short) 1);
    String group = "api-" + UUID.randomUUID();
    ApiConfig config =
        ApiConfig.defaults(dir)
            .with(Topics.TABLE.flat(TOPICS))
            .with(
                Map.of(
                    "api.port",
                    "0",
                    "api.db.url",
                    postgres.getJdbcUrl("postgres", "history"),
                    "api.db.pool.size",
                    "4",
                    "api.db.connection.timeout",
                    "PT2S",
                    "kafka.bootstrap.servers",
                    kafka.bootstrapServers(),
                    "api.password.iterations",
                    "1000",
                    "admin.password",
                    PASSWORD,
                    "api.webhook.backoff",
                    "PT0.05S",
                    "api.consumer.group",
                    group,
                    "api.lag.groups",
                    group));

    try (ApiServer server = new ApiServer(config)) {
      Http http = new Http(server.start());
      String admin = http.login("admin", PASSWORD);
      String before = "run-before-" + UUID.randomUUID();
      produce(ApiTestBase.diamondSucceeds(before, Instant.now()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> phase(http, admin, before), "Succeeded"::equals);
      assertThat(http.get("/api/v1/health", null).statusCode()).isEqualTo(200);

      postgres.close();
      Instant down = Instant.now();
      String during = "run-during-" + UUID.randomUUID();
      produce(ApiTestBase.diamondSucceeds(during, Instant.now()));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                HttpResponse<String> health = http.get("/api/v1/health", null);
                assertThat(health.statusCode()).isEqualTo(503);
                JsonNode body = Http.json(health);
                assertThat(body.get("database").asBoolean()).isFalse();
                assertThat(body.get("loops").toString())
                    .contains("\"loop\":\"history\"")
                    .contains("\"state\":\"failing\"")
                    .doesNotContain(String.valueOf(pgPort));
              });
      assertThat(http.get("/api/v1/runs/" + before, admin).statusCode()).isEqualTo(503);

      postgres = startPostgres();
      Instant up = Instant.now();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> phase(http, admin, during), "Succeeded"::equals);
      Instant caughtUp = Instant.now();
      assertThat(http.get("/api/v1/runs/" + before, admin).statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> http.get("/api/v1/health", null).statusCode() == 200);
      System.err.printf(
          "PostgreSQL down for %d ms; the history caught up %d ms after it came back%n",
          Duration.between(down, up).toMillis(), Duration.between(up, caughtUp).toMillis());
      assertThat(http.get("/metrics", admin).body())
          .containsPattern("kontroler_loop_failures_total\\{loop=\"history\"} [1-9]");
    }
  }

  private static String phase(Http http, String token, String runId) {
    HttpResponse<String> r = http.get("/api/v1/runs/" + runId, token);
    return r.statusCode() == 200 ? Http.json(r).get("phase").asText() : "HTTP " + r.statusCode();
  }

  private void produce(List<RunCommand.Notification> events) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      for (RunCommand.Notification e : events) {
        producer.send(
            new ProducerRecord<>(
                TOPICS.runEvents(), ApiTestBase.DIAMOND_KEY, MessageCodec.encode(e)));
      }
      producer.flush();
    }
  }
}

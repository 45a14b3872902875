package io.kontroler.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.cli.Main;
import io.kontroler.cli.client.ApiClient;
import io.kontroler.cli.standalone.Standalone;
import io.kontroler.cli.standalone.StandaloneOptions;
import io.kontroler.core.run.RunIds;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone's broker on the port it is given, reached by the producers the README shows, run as
 * users run them: Kafka's own console producer and kcat, fed the README's example lines. The broker
 * takes standalone's default port (9092), so the examples run verbatim; only where something else
 * holds that port (a developer's own Kafka) does it take a free one, and the examples' address is
 * changed to it.
 */
class StandaloneKafkaIT {
  private static final String PASSWORD = "kafka-it-admin-password";
  private static final String DAG = "default/diamond";

  @TempDir static Path data;
  @TempDir static Path logs;
  static int kafkaPort;
  static Standalone standalone;
  static ApiClient api;

  @BeforeAll
  static void start() throws IOException {
    kafkaPort =
        isFree(StandaloneOptions.DEFAULT_KAFKA_PORT)
            ? StandaloneOptions.DEFAULT_KAFKA_PORT
            : freePort();
    standalone =
        Standalone.start(
            new StandaloneOptions(0, data, 2, Map.of("admin.password", PASSWORD), kafkaPort));
    String token =
        new ApiClient(URI.create(standalone.url()), null)
            .post("/api/v1/auth/login", Map.of("username", "admin", "password", PASSWORD))
            .path("token")
            .asText();
    api = new ApiClient(URI.create(standalone.url()), token);
    api.postText(
        "/api/v1/dags",
        Files.readString(Path.of("..", "examples", "diamond.yaml")),
        "application/yaml");
  }

  @AfterAll
  static void stop() {
    if (standalone != null) {
      standalone.close();
    }
  }

  @Test
  void theBrokerIsAdvertisedAtLocalhostOnTheChosenPort() {
    assertThat(standalone.bootstrapServers()).isEqualTo("localhost:" + kafkaPort);
  }

  @Test
  void theReadmeExampleRunWithKafkasConsoleProducerStartsARun() throws IOException {
    ReadmeProducerExample example = ReadmeProducerExample.of("kafka-console-producer.sh");
    assertThat(example.command()).contains("localhost:9092");

    Producer.Outcome outcome =
        Producer.run(
            Producer.consoleProducer(example.argumentsFor(standalone.bootstrapServers())),
            example.line(),
            logs.resolve("console-producer.log"));

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    awaitSucceeded(RunIds.forRequest(DAG, "nightly-2026-11-21"));
  }

  @Test
  void theReadmeExampleRunWithKcatStartsARun() throws IOException {
    Assumptions.assumeTrue(
        Producer.installed("kcat"),
        "kcat is not installed here (apt-get install -y kcat; .ci/run installs it)");
    ReadmeProducerExample example = ReadmeProducerExample.of("kcat");
    assertThat(example.command()).contains("localhost:9092");

    Producer.Outcome outcome =
        Producer.run(
            Producer.concat(List.of("kcat"), example.argumentsFor(standalone.bootstrapServers())),
            example.line(),
            logs.resolve("kcat.log"));

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    awaitSucceeded(RunIds.forRequest(DAG, "nightly-2026-11-22"));
  }

  @Test
  void aTakenKafkaPortStopsStandaloneAtOnceWithAnErrorThatNamesIt() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int exit =
          Main.run(
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              "standalone",
              "--port",
              "0",
              "--kafka-port",
              Integer.toString(port),
              "--data-dir",
              logs.resolve("taken").toString());

      assertThat(exit).isEqualTo(10);
      assertThat(err.toString())
          .contains("Kafka port " + port + " on localhost is already in use")
          .contains("--kafka-port")
          .doesNotContain("Exception");
      assertThat(out.toString()).doesNotContain("Kontroler is running");
    }
  }

  private static void awaitSucceeded(String runId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreException(ApiClient.ApiError.class)
        .until(() -> api.get("/api/v1/runs/" + runId).path("phase").asText(), "Succeeded"::equals);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}

package io.kontroler.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.cli.client.ApiClient;
import io.kontroler.cli.standalone.Standalone;
import io.kontroler.cli.standalone.StandaloneOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping {@code kontroler standalone} while a task runs, and starting it again on the same data
 * directory, resumes the run: the interrupted attempt is reported lost and runs again, without
 * using up the task's retries.
 */
class StandaloneRestartIT {
  private static final String PASSWORD = "restart-admin-password";
  private static final String DAG =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata:
        name: interrupted
      spec:
        task:
          - name: long
            image: alpine:3.20
            script: |
              echo "attempt $KONTROLER_ATTEMPT begins"
              if [ "$KONTROLER_ATTEMPT" = "1" ]; then sleep 300; fi
              echo "attempt $KONTROLER_ATTEMPT ends"
          - name: after
            image: alpine:3.20
            runAfter: [long]
            command: ["echo", "after the long task"]
      """;

  @TempDir Path data;
  private Standalone standalone;

  @AfterEach
  void stop() {
    if (standalone != null) {
      standalone.close();
    }
  }

  @Test
  void aRunWithATaskInFlightResumesAfterARestart() throws IOException {
    standalone = start();
    ApiClient api = login();
    api.postText("/api/v1/dags", DAG, "application/yaml");
    String id = api.post("/api/v1/runs", Map.of("dagName", "interrupted")).path("id").asText();
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> log(api, id, 1).contains("attempt 1 begins"));

    standalone.close();
    standalone = start();
    ApiClient again = login();

    JsonNode[] run = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              run[0] = again.get("/api/v1/runs/" + id);
              return run[0].path("phase").asText().matches("Succeeded|Failed|Cancelled");
            });
    assertThat(run[0].path("phase").asText()).isEqualTo("Succeeded");
    JsonNode longTask = StandaloneIT.task(run[0], "long");
    assertThat(longTask.path("attempts").asInt()).isEqualTo(2);
    assertThat(StandaloneIT.task(run[0], "after").path("phase").asText()).isEqualTo("Succeeded");
    assertThat(log(again, id, 1)).contains("stopped with the executor");
    assertThat(log(again, id, 2)).contains("attempt 2 ends");
  }

  private Standalone start() {
    return Standalone.start(new StandaloneOptions(0, data, 2, Map.of("admin.password", PASSWORD)));
  }

  private ApiClient login() throws IOException {
    String token =
        new ApiClient(URI.create(standalone.url()), null)
            .post("/api/v1/auth/login", Map.of("username", "admin", "password", PASSWORD))
            .path("token")
            .asText();
    return new ApiClient(URI.create(standalone.url()), token);
  }

  private static String log(ApiClient api, String runId, int attempt) throws IOException {
    try (InputStream in =
        api.stream("/api/v1/runs/" + runId + "/tasks/long/attempts/" + attempt + "/log")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

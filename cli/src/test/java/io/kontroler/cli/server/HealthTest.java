package io.kontroler.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTest {

  @Test
  void listensOnLoopbackOnlyUnlessAHostIsConfigured() {
    try (Lifecycle lifecycle = new Lifecycle()) {
      HealthServer server =
          Health.start(Map.of("health.port", "0"), lifecycle, () -> true).orElseThrow();

      assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    }
  }

  @Test
  void listensOnEveryInterfaceWhenAskedTo() {
    try (Lifecycle lifecycle = new Lifecycle()) {
      HealthServer server =
          Health.start(Map.of("health.host", "0.0.0.0", "health.port", "0"), lifecycle, () -> true)
              .orElseThrow();

      assertThat(server.address().getAddress().isAnyLocalAddress()).isTrue();
    }
  }

  @Test
  void startsNoServerForANegativePort() {
    try (Lifecycle lifecycle = new Lifecycle()) {
      assertThat(Health.start(Map.of("health.port", "-1"), lifecycle, () -> true)).isEmpty();
    }
  }

  @Test
  void answers503WhileTheComponentIsDown() throws Exception {
    try (Lifecycle lifecycle = new Lifecycle()) {
      HealthServer server =
          Health.start(Map.of("health.port", "0"), lifecycle, () -> false).orElseThrow();

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).contains("DOWN");
    }
  }
}

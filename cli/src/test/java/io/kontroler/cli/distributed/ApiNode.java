package io.kontroler.cli.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.ApiConfig;
import io.kontroler.api.ApiServer;
import io.kontroler.cli.client.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The api, in this JVM, on the history database: DAGs are applied through it, and its answers about
 * runs are what is compared with run-events.
 */
final class ApiNode implements AutoCloseable {
  private static final String PASSWORD = "distributed-it-admin";

  private final Map<String, String> settings;
  private ApiServer server;
  private ApiClient client;

  private ApiNode(Map<String, String> settings) {
    this.settings = settings;
  }

  static ApiNode start(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("api.host", "127.0.0.1");
    all.put("api.port", "0");
    all.put("admin.password", PASSWORD);
    ApiNode node = new ApiNode(all);
    node.startServer();
    return node;
  }

  private void startServer() {
    server = new ApiServer(ApiConfig.fromFlat(settings));
    int port = server.start();
    URI base = URI.create("http://127.0.0.1:" + port);
    try {
      String token =
          new ApiClient(base, null)
              .post("/api/v1/auth/login", Map.of("username", "admin", "password", PASSWORD))
              .path("token")
              .asText();
      client = new ApiClient(base, token);
    } catch (IOException e) {
      throw new IllegalStateException("Could not log in to the api at " + base, e);
    }
  }

  /** Stops it and starts a new one on the same database. */
  void restart() {
    server.close();
    startServer();
  }

  /** {@code GET /api/v1/health} answers 200. */
  boolean healthy() {
    try {
      client.get("/api/v1/health");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Applies a DAG document; asked again after a timeout (applying the same document twice makes no
   * new version), as a busy machine may answer slowly.
   */
  void apply(String yaml) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        client.postText("/api/v1/dags", yaml, "application/yaml");
        return;
      } catch (HttpTimeoutException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** The run with its tasks, or empty while the api does not know it or cannot answer. */
  Optional<JsonNode> run(String runId) {
    try {
      return Optional.of(client.get("/api/v1/runs/" + runId));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}

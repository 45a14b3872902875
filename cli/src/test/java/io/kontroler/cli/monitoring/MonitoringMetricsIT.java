package io.kontroler.cli.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kontroler.cli.client.ApiClient;
import io.kontroler.cli.standalone.Standalone;
import io.kontroler.cli.standalone.StandaloneOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the chart's Grafana dashboard and alerting rules query is served by a running
 * Kontroler's {@code /metrics}, once a run has gone through it: renaming a metric breaks the build,
 * not the dashboards of the people who use them.
 */
class MonitoringMetricsIT {
  private static final String PASSWORD = "metrics-it-admin-password";
  private static final Path MONITORING = Path.of("..", "helm", "kontroler", "monitoring");
  private static final Pattern METRIC = Pattern.compile("\\bkontroler_[a-z0-9_]+");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir static Path data;
  static Standalone standalone;
  static ApiClient api;

  @BeforeAll
  static void start() throws IOException {
    standalone =
        Standalone.start(new StandaloneOptions(0, data, 2, Map.of("admin.password", PASSWORD)));
    String token =
        new ApiClient(URI.create(standalone.url()), null)
            .post("/api/v1/auth/login", Map.of("username", "admin", "password", PASSWORD))
            .path("token")
            .asText();
    api = new ApiClient(URI.create(standalone.url()), token);
  }

  @AfterAll
  static void stop() {
    if (standalone != null) {
      standalone.close();
    }
  }

  @Test
  void everyMetricOfTheDashboardAndTheRulesIsServed() throws IOException {
    runDiamondToTheEnd();

    Set<String> served = served(scrape());
    Set<String> used = new TreeSet<>();
    used.addAll(dashboardMetrics());
    used.addAll(ruleMetrics());

    assertThat(used).as("metrics the dashboard and rules use").hasSizeGreaterThanOrEqualTo(8);
    assertThat(served).as("served by /metrics").containsAll(used);
  }

  private static void runDiamondToTheEnd() throws IOException {
    api.postText(
        "/api/v1/dags",
        Files.readString(Path.of("..", "examples", "diamond.yaml")),
        "application/yaml");
    String id =
        api.post("/api/v1/runs", Map.of("dagName", "diamond", "parameters", Map.of()))
            .path("id")
            .asText();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreException(ApiClient.ApiError.class)
        .until(() -> api.get("/api/v1/runs/" + id).path("phase").asText(), "Succeeded"::equals);
  }

  private static String scrape() throws IOException {
    try (InputStream in = api.stream("/metrics")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The names of the samples in a Prometheus text exposition. */
  static Set<String> served(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static Set<String> dashboardMetrics() throws IOException {
    JsonNode dashboard = JSON.readTree(MONITORING.resolve("kontroler-dashboard.json").toFile());
    Set<String> names = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        names.addAll(metrics(target.path("expr").asText()));
      }
    }
    return names;
  }

  private static Set<String> ruleMetrics() throws IOException {
    JsonNode rules = YAML.readTree(MONITORING.resolve("rules.yaml").toFile());
    Set<String> names = new TreeSet<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        names.addAll(metrics(rule.path("expr").asText()));
      }
    }
    return names;
  }

  private static Set<String> metrics(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }
}

package io.kontroler.cli.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kontroler.cli.client.ApiClient;
import io.kontroler.cli.server.HealthServer;
import io.kontroler.cli.standalone.Standalone;
import io.kontroler.cli.standalone.StandaloneOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Kontroler's {@code /metrics} (the api's, and the executor's and scheduler's beside their health
 * endpoint), once a run has gone through it: renaming a metric breaks the build, not the dashboards
 * of the people who use them.
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
  private static boolean diamondApplied;

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
  void everyMetricOfTheDashboardAndTheRulesIsServed() throws Exception {
    runDiamondToTheEnd();

    Set<String> api = served(scrape());
    Set<String> executor = served(workerMetrics(standalone.executor().metrics()::scrape));
    Set<String> scheduler = served(workerMetrics(standalone.scheduler().prometheus()::scrape));
    Set<String> used = new TreeSet<>();
    used.addAll(dashboardMetrics());
    used.addAll(ruleMetrics());

    assertThat(used).as("metrics the dashboard and rules use").hasSizeGreaterThanOrEqualTo(8);
    Set<String> served = new TreeSet<>(api);
    served.addAll(executor);
    served.addAll(scheduler);
    assertThat(served)
        .as("served by the api's, executor's and scheduler's /metrics")
        .containsAll(used);
    assertThat(executor)
        .as("the executor's /metrics")
        .containsAll(withPrefix(used, "kontroler_executor_"))
        .contains("kontroler_executor_attempts_in_flight", "kontroler_executor_dead_letters_total");
    assertThat(scheduler)
        .as("the scheduler's /metrics")
        .containsAll(withPrefix(used, "kontroler_scheduler_"))
        .contains("kontroler_scheduler_dead_letters_total", "kontroler_scheduler_commits_total");
  }

  @Test
  void theExecutorCountsTheDiamondsAttemptsAndTheSchedulerItsCommits() throws Exception {
    runDiamondToTheEnd();

    String executor = workerMetrics(standalone.executor().metrics()::scrape);
    String scheduler = workerMetrics(standalone.scheduler().prometheus()::scrape);

    // the diamond's four tasks, and possibly those of a run of the other test of this class
    assertThat(value(executor, "kontroler_executor_launches_accepted_total{backend=\"process\"}"))
        .isGreaterThanOrEqualTo(4);
    assertThat(
            value(
                executor,
                "kontroler_executor_launches_finished_total{backend=\"process\",outcome=\"succeeded\"}"))
        .isGreaterThanOrEqualTo(4);
    assertThat(value(scheduler, "kontroler_scheduler_commits_total")).isPositive();
    assertThat(value(scheduler, "kontroler_scheduler_internal_errors_total")).isZero();
  }

  /**
   * What the health endpoint a worker component runs in a pod (scheduler, executor) answers on
   * {@code /metrics}, for the given component of this standalone.
   */
  private static String workerMetrics(java.util.function.Supplier<String> metrics)
      throws Exception {
    try (HealthServer server =
        HealthServer.startNaming("127.0.0.1", 0, java.util.List::of, metrics)) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
      return response.body();
    }
  }

  private static Set<String> withPrefix(Set<String> names, String prefix) {
    Set<String> found = new TreeSet<>();
    names.stream().filter(n -> n.startsWith(prefix)).forEach(found::add);
    return found;
  }

  /** The value of the sample {@code series} (name and labels as exposed) in an exposition. */
  private static double value(String exposition, String series) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("Expected " + series + " in\n" + exposition);
  }

  private static synchronized void runDiamondToTheEnd() throws IOException {
    if (!diamondApplied) {
      api.postText(
          "/api/v1/dags",
          Files.readString(Path.of("..", "examples", "diamond.yaml")),
          "application/yaml");
      diamondApplied = true;
    }
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

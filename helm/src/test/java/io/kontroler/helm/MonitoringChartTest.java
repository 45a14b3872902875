package io.kontroler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the alerting rules: off by default, rendered as a ConfigMap for
 * Grafana's sidecar and a PrometheusRule when asked for. That their metrics exist is cli's
 * MonitoringMetricsIT's to check, against a running Kontroler.
 */
class MonitoringChartTest {
  private static final Path CHART = Path.of("kontroler");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<JsonNode> render(Map<String, String> values) throws IOException {
    var template = new Helm(CHART).template().withName("kontroler").withKubeVersion("1.30.0");
    values.forEach(template::set);
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(template.call())) {
      YAML.readValues(parser, JsonNode.class)
          .forEachRemaining(
              n -> {
                if (n != null && n.has("kind")) {
                  docs.add(n);
                }
              });
    }
    return docs;
  }

  private static JsonNode only(List<JsonNode> docs, String kind, String name) {
    List<JsonNode> found =
        docs.stream()
            .filter(d -> d.path("kind").asText().equals(kind))
            .filter(d -> d.path("metadata").path("name").asText().equals(name))
            .toList();
    assertThat(found).as(kind + " " + name).hasSize(1);
    return found.get(0);
  }

  @Test
  void neitherDashboardNorRulesByDefault() throws IOException {
    List<JsonNode> docs = render(Map.of());

    assertThat(docs).noneMatch(d -> d.path("kind").asText().equals("PrometheusRule"));
    assertThat(docs)
        .noneMatch(d -> d.path("metadata").path("name").asText().equals("kontroler-dashboard"));
  }

  @Test
  void theDashboardIsAConfigMapThatGrafanasSidecarPicksUp() throws IOException {
    List<JsonNode> docs =
        render(
            Map.of(
                "grafanaDashboard.enabled", "true",
                "grafanaDashboard.annotations.grafana_folder", "Kontroler"));

    JsonNode map = only(docs, "ConfigMap", "kontroler-dashboard");
    assertThat(map.path("metadata").path("labels").path("grafana_dashboard").asText())
        .isEqualTo("1");
    assertThat(map.path("metadata").path("annotations").path("grafana_folder").asText())
        .isEqualTo("Kontroler");
    JsonNode dashboard = JSON.readTree(map.path("data").path("kontroler.json").asText());
    assertThat(dashboard.path("uid").asText()).isEqualTo("kontroler-overview");
    assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(8);
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      panel
          .path("targets")
          .forEach(t -> assertThat(t.path("expr").asText()).contains("kontroler_"));
    }
  }

  @Test
  void theDashboardShowsExecutorsInFlightAndDeadLetters() throws IOException {
    JsonNode dashboard =
        JSON.readTree(
            only(
                    render(Map.of("grafanaDashboard.enabled", "true")),
                    "ConfigMap",
                    "kontroler-dashboard")
                .path("data")
                .path("kontroler.json")
                .asText());
    List<String> exprs = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));

    assertThat(exprs)
        .anyMatch(e -> e.contains("kontroler_executor_attempts_in_flight"))
        .anyMatch(e -> e.contains("kontroler_executor_dead_letters_total"))
        .anyMatch(e -> e.contains("kontroler_scheduler_dead_letters_total"))
        .anyMatch(e -> e.contains("kontroler_consumer_lag"));
  }

  @Test
  void aPodMonitorScrapesTheSchedulersAndExecutorsOnTheirHealthPort() throws IOException {
    List<JsonNode> docs = render(Map.of("serviceMonitor.enabled", "true"));

    JsonNode monitor = only(docs, "PodMonitor", "kontroler-workers");
    JsonNode endpoint = monitor.path("spec").path("podMetricsEndpoints").get(0);
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    JsonNode selector = monitor.path("spec").path("selector");
    List<String> scraped = new ArrayList<>();
    for (JsonNode workload : docs) {
      JsonNode pod = workload.path("spec").path("template");
      if (pod.isMissingNode() || !selects(selector, pod.path("metadata").path("labels"))) {
        continue;
      }
      scraped.add(workload.path("metadata").path("name").asText());
      List<String> ports = new ArrayList<>();
      pod.path("spec")
          .path("containers")
          .forEach(c -> c.path("ports").forEach(p -> ports.add(p.path("name").asText())));
      assertThat(ports)
          .as(workload.path("metadata").path("name").asText())
          .contains(endpoint.path("port").asText());
    }
    assertThat(scraped).containsExactlyInAnyOrder("kontroler-scheduler", "kontroler-executor");
  }

  /** Whether a label selector (matchLabels and In expressions) selects {@code labels}. */
  private static boolean selects(JsonNode selector, JsonNode labels) {
    var matchLabels = selector.path("matchLabels").fields();
    while (matchLabels.hasNext()) {
      var e = matchLabels.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      assertThat(expression.path("operator").asText()).isEqualTo("In");
      List<String> values = new ArrayList<>();
      expression.path("values").forEach(v -> values.add(v.asText()));
      if (!values.contains(labels.path(expression.path("key").asText()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theRulesAlertOnLagAStuckProjectionWebhooksAndFailingRuns() throws IOException {
    List<JsonNode> docs =
        render(Map.of("prometheusRule.enabled", "true", "prometheusRule.labels.release", "prom"));

    JsonNode rule = only(docs, "PrometheusRule", "kontroler");
    assertThat(rule.path("metadata").path("labels").path("release").asText()).isEqualTo("prom");
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : rule.path("spec").path("groups")) {
      for (JsonNode r : group.path("rules")) {
        alerts.add(r.path("alert").asText());
        assertThat(r.path("expr").asText()).as(r.path("alert").asText()).contains("kontroler_");
        assertThat(r.path("annotations").path("summary").asText()).isNotBlank();
      }
    }
    assertThat(alerts)
        .contains(
            "KontrolerSchedulerLagging",
            "KontrolerConsumerLagGrowing",
            "KontrolerProjectionStuck",
            "KontrolerLoopUnhealthy",
            "KontrolerWebhooksFailing",
            "KontrolerRunsFailing",
            "KontrolerDeadLettersIncreasing",
            "KontrolerExecutorLagGrowing",
            "KontrolerSchedulerInternalErrors");
    assertThat(rule.toString()).contains("{{ $value }}").contains("{{ $labels.group }}");
  }
}

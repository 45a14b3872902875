package io.kontroler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The chart lints strictly and renders the manifests production needs, for several value sets. */
class ChartTest {
  private static final Path CHART = Path.of("kontroler");

  private static JsonNode find(List<JsonNode> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .filter(d -> d.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static JsonNode container(JsonNode workload) {
    return workload.path("spec").path("template").path("spec").path("containers").get(0);
  }

  private static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e.has("value") ? e.path("value").asText() : e.path("valueFrom").toString();
      }
    }
    return null;
  }

  @Test
  void lintsStrictly() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.getMessages()).allSatisfy(m -> assertThat(m).doesNotContain("[ERROR]"));
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void rendersOneImageWithOneSubcommandPerComponent() throws IOException {
    List<JsonNode> docs = RenderedChart.render(Map.of("image.tag", "1.2.3"));

    assertThat(container(find(docs, "StatefulSet", "kontroler-scheduler")).path("args").toString())
        .isEqualTo("[\"scheduler\"]");
    for (String c : List.of("executor", "ingest", "api")) {
      JsonNode main = container(find(docs, "Deployment", "kontroler-" + c));
      assertThat(main.path("args").toString()).isEqualTo("[\"" + c + "\"]");
      assertThat(main.path("image").asText()).isEqualTo("ghcr.io/kontroler/kontroler:1.2.3");
      assertThat(main.has("readinessProbe") && main.has("livenessProbe")).isTrue();
    }
    JsonNode api = container(find(docs, "Deployment", "kontroler-api"));
    assertThat(api.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/api/v1/health/ready");
    // a database outage makes the api unready, never restarts it
    assertThat(api.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/api/v1/health/live");
  }

  @Test
  void wiresKafkaPostgresAndS3IntoTheComponentsThatUseThem() throws IOException {
    List<JsonNode> docs =
        RenderedChart.render(
            Map.of(
                "kafka.bootstrapServers", "k1:9093,k2:9093",
                "kafka.partitions", "24",
                "s3.bucket", "logs-bucket",
                "s3.existingSecret", "s3-creds",
                "admin.existingSecret", "admin-pw"));
    JsonNode scheduler = container(find(docs, "StatefulSet", "kontroler-scheduler"));
    JsonNode executor = container(find(docs, "Deployment", "kontroler-executor"));
    JsonNode api = container(find(docs, "Deployment", "kontroler-api"));
    JsonNode ingest = container(find(docs, "Deployment", "kontroler-ingest"));

    assertThat(env(scheduler, "KONTROLER_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("k1:9093,k2:9093");
    assertThat(env(scheduler, "KONTROLER_SCHEDULER_PARTITIONS")).isEqualTo("24");
    assertThat(env(executor, "KONTROLER_LOGS_S3_BUCKET")).isEqualTo("logs-bucket");
    assertThat(env(executor, "AWS_SECRET_ACCESS_KEY")).contains("s3-creds");
    assertThat(env(api, "KONTROLER_API_DB_PASSWORD")).contains("secretKeyRef");
    assertThat(env(api, "KONTROLER_ADMIN_PASSWORD")).contains("admin-pw");
    assertThat(env(ingest, "KONTROLER_INGEST_QUARTZ_JDBC__URL")).startsWith("jdbc:postgresql:");
    assertThat(env(ingest, "KONTROLER_INGEST_QUARTZ_JDBC__PASSWORD")).contains("secretKeyRef");
    assertThat(env(ingest, "KONTROLER_INGEST_QUARTZ_MODE")).isEqualTo("jdbc");
    assertThat(env(scheduler, "KONTROLER_API_DB_PASSWORD")).isNull();
    assertThat(List.of(scheduler, api))
        .allSatisfy(
            c ->
                assertThat(env(c, "KONTROLER_SCHEDULER_FINISHED_RUN_RETENTION_MS"))
                    .isEqualTo(String.valueOf(7L * 24 * 3600 * 1000)));
  }

  @Test
  void setsTheRetentionOfTopicsHistoryAndJobs() throws IOException {
    List<JsonNode> defaults = RenderedChart.render(Map.of());
    JsonNode scheduler = container(find(defaults, "StatefulSet", "kontroler-scheduler"));
    long day = 24L * 3600 * 1000;
    assertThat(env(scheduler, "KONTROLER_TOPICS_COMMANDS_RETENTION_MS")).isEqualTo("" + 7 * day);
    assertThat(env(scheduler, "KONTROLER_TOPICS_TASK__LAUNCHES_RETENTION_MS"))
        .isEqualTo("" + 7 * day);
    assertThat(env(scheduler, "KONTROLER_TOPICS_TASK__OUTCOMES_RETENTION_MS"))
        .isEqualTo("" + 7 * day);
    assertThat(env(scheduler, "KONTROLER_TOPICS_RUN__EVENTS_RETENTION_MS"))
        .isEqualTo("" + 30 * day);
    assertThat(env(scheduler, "KONTROLER_TOPICS_DEAD__LETTERS_RETENTION_MS"))
        .isEqualTo("" + 30 * day);
    JsonNode api = container(find(defaults, "Deployment", "kontroler-api"));
    assertThat(env(api, "KONTROLER_API_HISTORY_RETENTION")).isEqualTo("P30D");
    JsonNode executor = container(find(defaults, "Deployment", "kontroler-executor"));
    assertThat(env(executor, "KONTROLER_EXECUTOR_JOB_TTL_SECONDS")).isEqualTo("3600");
    assertThat(env(executor, "KONTROLER_EXECUTOR_WORKSPACE_ORPHAN_GRACE_MS"))
        .isEqualTo("" + 7 * day);

    List<JsonNode> custom =
        RenderedChart.render(
            Map.of(
                "kafka.topicRetentionDays.runEvents", "90",
                "kafka.topicRetentionDays.deadLetters", "-1",
                "api.historyRetentionDays", "0"));
    JsonNode customScheduler = container(find(custom, "StatefulSet", "kontroler-scheduler"));
    assertThat(env(customScheduler, "KONTROLER_TOPICS_RUN__EVENTS_RETENTION_MS"))
        .isEqualTo("" + 90 * day);
    assertThat(env(customScheduler, "KONTROLER_TOPICS_DEAD__LETTERS_RETENTION_MS")).isEqualTo("-1");
    assertThat(
            env(
                container(find(custom, "Deployment", "kontroler-api")),
                "KONTROLER_API_HISTORY_RETENTION"))
        .isEqualTo("P0D");
  }

  @Test
  void grantsEachComponentOnlyWhatItNeeds() throws IOException {
    List<JsonNode> docs = RenderedChart.render(Map.of());
    JsonNode executor = find(docs, "Role", "kontroler-executor");
    JsonNode ingest = find(docs, "ClusterRole", "kontroler-ingest");

    assertThat(rules(executor))
        .containsExactlyInAnyOrder(
            "batch/jobs:create,get,list,watch,delete",
            "/pods:get,list,watch",
            "/pods/log:get",
            "/persistentvolumeclaims:create,get,list,delete");
    assertThat(rules(ingest))
        .containsExactlyInAnyOrder(
            "kontroler.greedykomodo/dags,dagtasks,dagruns,workflows:get,list,watch,update",
            "kontroler.greedykomodo/dags/status,dagtasks/status,dagruns/status,workflows/status:"
                + "get,update",
            "batch/jobs:get,list,patch,delete,deletecollection");
    assertThat(rules(find(docs, "Role", "kontroler-ingest-lease")))
        .containsExactly("coordination.k8s.io/leases:get,create,update");
    assertThat(rules(ingest)).noneMatch(r -> r.contains("secrets") || r.contains("*"));
    assertThat(docs)
        .noneMatch(
            d ->
                d.path("kind").asText().equals("Role")
                    && d.path("metadata").path("name").asText().contains("api"));
    assertThat(
            find(docs, "Deployment", "kontroler-api")
                .path("spec")
                .path("template")
                .path("spec")
                .path("automountServiceAccountToken")
                .asBoolean(true))
        .isFalse();
  }

  @Test
  void optionalIngressServiceMonitorAndPodDisruptionBudgets() throws IOException {
    List<JsonNode> off = RenderedChart.render(Map.of("podDisruptionBudget.enabled", "false"));
    assertThat(off)
        .noneMatch(
            d ->
                List.of("Ingress", "ServiceMonitor", "PodDisruptionBudget")
                    .contains(d.path("kind").asText()));

    List<JsonNode> on =
        RenderedChart.render(
            Map.of(
                "ingress.enabled",
                "true",
                "ingress.host",
                "k.example.org",
                "serviceMonitor.enabled",
                "true"));
    assertThat(
            find(on, "Ingress", "kontroler-api")
                .path("spec")
                .path("rules")
                .get(0)
                .path("host")
                .asText())
        .isEqualTo("k.example.org");
    assertThat(
            find(on, "ServiceMonitor", "kontroler-api")
                .path("spec")
                .path("endpoints")
                .get(0)
                .path("path")
                .asText())
        .isEqualTo("/metrics");
    assertThat(on.stream().filter(d -> d.path("kind").asText().equals("PodDisruptionBudget")))
        .hasSize(4);
  }

  private static List<String> rules(JsonNode role) {
    List<String> result = new ArrayList<>();
    for (JsonNode rule : role.path("rules")) {
      String group = rule.path("apiGroups").get(0).asText();
      String resources = String.join(",", strings(rule.path("resources")));
      String verbs = String.join(",", strings(rule.path("verbs")));
      result.add(group + "/" + resources + ":" + verbs);
    }
    return result;
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}

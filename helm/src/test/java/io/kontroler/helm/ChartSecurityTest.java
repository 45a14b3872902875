package io.kontroler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Least privilege as the chart renders it: task namespaces under Pod Security {@code restricted},
 * network policies that keep tasks away from Kontroler, Kafka and PostgreSQL, Jobs managed only in
 * the task namespaces, and the Kafka TLS material in every component.
 */
class ChartSecurityTest {
  private static final List<String> COMPONENTS = List.of("scheduler", "executor", "ingest", "api");
  private static final String TASKS_LABEL = "kontroler.greedykomodo/tasks";

  private static List<JsonNode> render(Map<String, String> values) throws IOException {
    return RenderedChart.render(values);
  }

  private static List<JsonNode> all(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode find(List<JsonNode> docs, String kind, String name) {
    return all(docs, kind).stream()
        .filter(d -> d.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static JsonNode workload(List<JsonNode> docs, String component) {
    return find(
        docs,
        component.equals("scheduler") ? "StatefulSet" : "Deployment",
        "kontroler-" + component);
  }

  private static JsonNode podSpec(JsonNode workload) {
    return workload.path("spec").path("template").path("spec");
  }

  private static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e.has("value") ? e.path("value").asText() : e.path("valueFrom").toString();
      }
    }
    return null;
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  @Test
  void taskNamespacesAreLabelledForPodSecurityRestricted() throws IOException {
    List<JsonNode> docs =
        render(Map.of("tasks.namespaces[0]", "team-a", "tasks.namespaces[1]", "team-b"));

    assertThat(all(docs, "Namespace"))
        .extracting(n -> n.path("metadata").path("name").asText())
        .containsExactly("team-a", "team-b");
    for (JsonNode ns : all(docs, "Namespace")) {
      JsonNode labels = ns.path("metadata").path("labels");
      assertThat(labels.path("pod-security.kubernetes.io/enforce").asText())
          .isEqualTo("restricted");
      assertThat(labels.path(TASKS_LABEL).asText()).isEqualTo("true");
    }

    List<JsonNode> existing =
        render(Map.of("tasks.namespaces[0]", "team-a", "tasks.createNamespaces", "false"));
    assertThat(all(existing, "Namespace")).isEmpty();
    assertThat(
            find(existing, "NetworkPolicy", "kontroler-tasks")
                .path("metadata")
                .path("namespace")
                .asText())
        .isEqualTo("team-a");
  }

  @Test
  void tasksMayReachNeitherPrivateAddressesNorTheMetadataEndpointAndAcceptNoTraffic()
      throws IOException {
    JsonNode policy = find(render(Map.of()), "NetworkPolicy", "kontroler-tasks");

    assertThat(policy.path("metadata").path("namespace").asText()).isEqualTo("kontroler-tasks");
    JsonNode spec = policy.path("spec");
    assertThat(
            spec.path("podSelector")
                .path("matchLabels")
                .path("app.kubernetes.io/managed-by")
                .asText())
        .isEqualTo("kontroler");
    assertThat(texts(spec.path("policyTypes"))).containsExactly("Ingress", "Egress");
    assertThat(spec.path("ingress")).isEmpty();
    JsonNode egress = spec.path("egress");
    assertThat(egress).hasSize(2);
    assertThat(egress.get(0).path("ports").findValuesAsText("port")).containsOnly("53");
    JsonNode block = egress.get(1).path("to").get(0).path("ipBlock");
    assertThat(block.path("cidr").asText()).isEqualTo("0.0.0.0/0");
    assertThat(texts(block.path("except")))
        .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");
  }

  @Test
  void kontrolersOwnPodsRefuseTrafficFromTaskNamespaces() throws IOException {
    List<JsonNode> docs = render(Map.of());

    for (String component : COMPONENTS) {
      JsonNode spec = find(docs, "NetworkPolicy", "kontroler-" + component).path("spec");
      assertThat(
              spec.path("podSelector")
                  .path("matchLabels")
                  .path("app.kubernetes.io/component")
                  .asText())
          .isEqualTo(component);
      assertThat(texts(spec.path("policyTypes"))).containsExactly("Ingress");
      JsonNode rule = spec.path("ingress").get(0);
      JsonNode expression =
          rule.path("from").get(0).path("namespaceSelector").path("matchExpressions").get(0);
      assertThat(expression.path("key").asText()).isEqualTo(TASKS_LABEL);
      assertThat(expression.path("operator").asText()).isEqualTo("DoesNotExist");
      assertThat(rule.path("ports").get(0).path("port").asText())
          .isEqualTo(component.equals("api") ? "http" : "health");
    }
    assertThat(all(render(Map.of("networkPolicy.enabled", "false")), "NetworkPolicy"))
        .extracting(p -> p.path("metadata").path("name").asText())
        .containsExactly("kontroler-tasks");
  }

  @Test
  void everyComponentMountsTheKafkaTlsMaterial() throws IOException {
    List<JsonNode> docs =
        render(Map.of("kafka.tls.enabled", "true", "kafka.tls.secretName", "kafka-client-tls"));

    for (String component : COMPONENTS) {
      JsonNode pod = podSpec(workload(docs, component));
      assertThat(pod.path("volumes").findValues("secretName"))
          .as(component)
          .extracting(JsonNode::asText)
          .contains("kafka-client-tls");
      JsonNode container = pod.path("containers").get(0);
      assertThat(container.path("volumeMounts").findValuesAsText("mountPath"))
          .as(component)
          .contains("/etc/kontroler/kafka-tls");
      assertThat(env(container, "KONTROLER_KAFKA_SSL_TRUSTSTORE_LOCATION"))
          .isEqualTo("/etc/kontroler/kafka-tls/ca.crt");
    }
    assertThat(podSpec(workload(render(Map.of()), "api")).path("volumes").findValues("secretName"))
        .isEmpty();
  }

  @Test
  void theExecutorManagesJobsOnlyInTheTaskNamespacesAndNeverInItsOwn() throws IOException {
    List<JsonNode> docs =
        render(Map.of("tasks.namespaces[0]", "team-a", "tasks.namespaces[1]", "team-b"));

    assertThat(all(docs, "Role"))
        .filteredOn(r -> r.path("metadata").path("name").asText().equals("kontroler-executor"))
        .extracting(r -> r.path("metadata").path("namespace").asText())
        .containsExactly("team-a", "team-b");
    assertThat(all(docs, "RoleBinding"))
        .filteredOn(r -> r.path("metadata").path("name").asText().equals("kontroler-executor"))
        .extracting(r -> r.path("metadata").path("namespace").asText())
        .containsExactly("team-a", "team-b");
    assertThat(all(docs, "ClusterRole"))
        .noneMatch(r -> r.path("metadata").path("name").asText().equals("kontroler-executor"));
    JsonNode executor = podSpec(workload(docs, "executor")).path("containers").get(0);
    assertThat(env(executor, "KONTROLER_EXECUTOR_KUBERNETES_NAMESPACE")).isNull();
    assertThat(env(executor, "KONTROLER_EXECUTOR_KUBERNETES_WATCH__NAMESPACES"))
        .isEqualTo("team-a,team-b");

    List<JsonNode> anywhere = render(Map.of("tasks.namespaces", "null"));
    assertThat(all(anywhere, "Role"))
        .noneMatch(r -> r.path("metadata").path("name").asText().equals("kontroler-executor"));
    assertThat(all(anywhere, "Namespace")).isEmpty();
    assertThat(find(anywhere, "ClusterRole", "kontroler-executor").path("rules")).hasSize(4);

    List<JsonNode> shared = render(Map.of("executor.jobNamespace", "jobs"));
    assertThat(all(shared, "Role"))
        .filteredOn(r -> r.path("metadata").path("name").asText().equals("kontroler-executor"))
        .extracting(r -> r.path("metadata").path("namespace").asText())
        .containsExactly("jobs");
    assertThat(all(shared, "ClusterRole"))
        .noneMatch(r -> r.path("metadata").path("name").asText().equals("kontroler-executor"));
    assertThat(
            env(
                podSpec(workload(shared, "executor")).path("containers").get(0),
                "KONTROLER_EXECUTOR_KUBERNETES_NAMESPACE"))
        .isEqualTo("jobs");
  }

  @Test
  void thePodPolicyReachesEveryComponentThatChecksIt() throws IOException {
    List<JsonNode> docs =
        render(
            Map.of(
                "podPolicy.allowHostPath", "true",
                "podPolicy.serviceAccounts[0]", "builder",
                "podPolicy.serviceAccounts[1]", "deployer",
                "podPolicy.secrets[0]", "db-password"));

    for (String component : List.of("executor", "ingest", "api")) {
      JsonNode container = podSpec(workload(docs, component)).path("containers").get(0);
      assertThat(env(container, "KONTROLER_POLICY_POD_ALLOW__HOST__PATH")).isEqualTo("true");
      assertThat(env(container, "KONTROLER_POLICY_POD_ALLOW__PRIVILEGED")).isEqualTo("false");
      assertThat(env(container, "KONTROLER_POLICY_POD_SERVICE__ACCOUNTS"))
          .isEqualTo("builder,deployer");
      assertThat(env(container, "KONTROLER_POLICY_POD_SECRETS")).isEqualTo("db-password");
    }
  }
}

package io.kontroler.ingest.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.validate.PodPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DAG and DagTask resources whose pods break the pod policy are rejected, with the path. */
@EnableKubernetesMockClient(crud = true)
class PodPolicyControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String PRIVILEGED_DAG =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata: {name: privileged}
      spec:
        task:
          - name: root
            image: alpine
            command: [id]
            podTemplate: {securityContext: {privileged: true}}
      """;

  KubernetesClient client;

  @Test
  void underTheDefaultPolicyPrivilegedAndHostPathPodsAreRejected() {
    try (MockCluster cluster = new MockCluster(client)) {
      cluster.create(PRIVILEGED_DAG);
      cluster.create(
          """
          apiVersion: kontroler.greedykomodo/v1alpha1
          kind: DagTask
          metadata: {name: mounter}
          spec:
            image: alpine
            command: [ls, /host]
            podTemplate: {volumes: [{name: host, hostPath: {path: /}}]}
          """);

      assertThat(problemsOnceRejected(cluster, ResourceKind.DAG, "privileged"))
          .singleElement()
          .asString()
          .startsWith("spec.task[0].podTemplate.securityContext.privileged: ");
      assertThat(problemsOnceRejected(cluster, ResourceKind.DAG_TASK, "mounter"))
          .singleElement()
          .asString()
          .startsWith("spec.podTemplate.volumes[0].hostPath: ");
      assertThat(cluster.outbox.catalog()).isEmpty();
    }
  }

  @Test
  void whatAnAdminAllowsIsAccepted() {
    MockCluster.installCrds(client);
    MockCluster parts = MockCluster.parts(client);
    PodPolicy policy = PodPolicy.fromFlat(Map.of("policy.pod.allow-privileged", "true"));
    try (KubernetesController controller =
        new KubernetesController(
            client,
            List.of(),
            parts.outbox,
            parts.catalog,
            Clock.systemUTC(),
            RunEventFeed.NONE,
            policy)) {
      controller.start(WAIT);
      parts.create(PRIVILEGED_DAG);

      await()
          .atMost(WAIT)
          .until(
              () -> "Accepted".equals(parts.status(ResourceKind.DAG, "privileged").get("phase")));
      assertThat(parts.outbox.catalog(DagPublished.class))
          .extracting(DagPublished::dag)
          .containsExactly("default/privileged");
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> problemsOnceRejected(
      MockCluster cluster, ResourceKind kind, String name) {
    await().atMost(WAIT).until(() -> "Rejected".equals(cluster.status(kind, name).get("phase")));
    return (List<String>) cluster.status(kind, name).get("problems");
  }
}

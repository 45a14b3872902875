package io.kontroler.ingest.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two ingest nodes elect the one that runs the controller; the other takes over when it stops. */
@EnableKubernetesMockClient(crud = true)
class LeadingControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  private LeadingController a;
  private LeadingController b;

  @AfterEach
  void stop() {
    b.close();
    a.close();
  }

  @Test
  void onlyTheLeaderReconcilesAndAnotherNodeTakesOverWhenItStops() {
    MockCluster.installCrds(client);
    MockCluster nodeA = MockCluster.parts(client);
    MockCluster nodeB = MockCluster.parts(client);
    a = leading(nodeA, "node-a");
    b = leading(nodeB, "node-b");
    a.start();
    await().atMost(WAIT).until(a::leading);
    b.start();

    nodeA.apply("dag-scheduled.yaml");
    await().atMost(WAIT).until(() -> nodeA.outbox.catalog(DagPublished.class).size() == 1);
    assertThat(b.leading()).isFalse();
    assertThat(nodeB.outbox.catalog()).isEmpty();

    a.close();
    await().atMost(WAIT).until(b::leading);
    nodeA.apply("dagtask.yaml");

    await()
        .atMost(WAIT)
        .until(
            () ->
                nodeB.outbox.catalog(DagTaskPublished.class).stream()
                    .anyMatch(p -> p.name().equals("dagtask-sample")));
    assertThat(nodeA.outbox.catalog(DagPublished.class)).hasSize(1);
  }

  private LeadingController leading(MockCluster node, String id) {
    return new LeadingController(
        client,
        new LeadingController.Election(
            MockCluster.NS,
            "kontroler-ingest-controller",
            id,
            Duration.ofSeconds(2),
            Duration.ofMillis(1500),
            Duration.ofMillis(200)),
        node::controller,
        Duration.ofSeconds(10));
  }
}

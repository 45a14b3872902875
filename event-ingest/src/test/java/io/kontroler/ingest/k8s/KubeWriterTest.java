package io.kontroler.ingest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Status writes go through the status subresource and are retried on a conflict. */
@EnableKubernetesMockClient
class KubeWriterTest {
  private static final String PATH =
      "/apis/kontroler.greedykomodo/v1alpha1/namespaces/default/dagruns/run-1";

  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void aConflictingStatusWriteIsRetriedOnTheLatestVersion() throws Exception {
    server.expect().get().withPath(PATH).andReturn(200, dagRun("1")).once();
    server.expect().get().withPath(PATH).andReturn(200, dagRun("2")).once();
    server
        .expect()
        .put()
        .withPath(PATH + "/status")
        .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict").build())
        .once();
    server.expect().put().withPath(PATH + "/status").andReturn(200, dagRun("3")).once();

    new KubeWriter(client)
        .status(ResourceKind.DAG_RUN, "default", "run-1", Map.of("phase", "Running"));

    RecordedRequest first = request("PUT");
    RecordedRequest second = request("PUT");
    assertThat(first.getPath()).isEqualTo(PATH + "/status");
    assertThat(first.getUtf8Body()).contains("\"resourceVersion\":\"1\"").contains("Running");
    assertThat(second.getUtf8Body()).contains("\"resourceVersion\":\"2\"").contains("Running");
  }

  private RecordedRequest request(String method) throws InterruptedException {
    while (true) {
      RecordedRequest r = server.takeRequest();
      if (r.getMethod().equals(method)) {
        return r;
      }
    }
  }

  private static GenericKubernetesResource dagRun(String resourceVersion) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("kontroler.greedykomodo/v1alpha1")
        .withKind("DagRun")
        .withNewMetadata()
        .withName("run-1")
        .withNamespace("default")
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .addToAdditionalProperties("spec", Map.of("dagName", "etl"))
        .build();
  }
}

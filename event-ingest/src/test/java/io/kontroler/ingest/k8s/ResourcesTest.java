package io.kontroler.ingest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourcesTest {
  private static final String DAG =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata: {name: etl, namespace: default, finalizers: [kontroler.greedykomodo/dag]}
      spec:
        task:
          - {name: a, image: alpine, command: [echo]}
      status: {phase: Accepted, version: 1}
      """;

  @Test
  void aStatusWrittenIsAChangeOfTheStatusAloneAndAResyncIsNot() {
    GenericKubernetesResource before = dag();
    GenericKubernetesResource after = dag();
    after
        .getAdditionalProperties()
        .put(
            "status",
            Map.of(
                "phase",
                "Accepted",
                "version",
                1,
                "lastRun",
                Map.of("id", "r1", "phase", "Running")));

    assertThat(Resources.onlyStatusChanged(before, after)).isTrue();
    assertThat(Resources.onlyStatusChanged(before, dag())).isFalse();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aChangedSpecOrADeletionIsMoreThanAStatusChange() {
    GenericKubernetesResource before = dag();
    GenericKubernetesResource edited = dag();
    ((Map<String, Object>) edited.getAdditionalProperties().get("spec")).put("suspended", true);
    edited.getAdditionalProperties().put("status", Map.of("phase", "Accepted", "version", 2));
    GenericKubernetesResource deleted = dag();
    deleted.getMetadata().setDeletionTimestamp("2026-11-28T10:00:00Z");
    deleted.getAdditionalProperties().put("status", Map.of("phase", "Accepted"));
    GenericKubernetesResource released = dag();
    released.getMetadata().setFinalizers(List.of());
    released.getAdditionalProperties().put("status", Map.of("phase", "Accepted"));

    assertThat(Resources.onlyStatusChanged(before, edited)).isFalse();
    assertThat(Resources.onlyStatusChanged(before, deleted)).isFalse();
    assertThat(Resources.onlyStatusChanged(before, released)).isFalse();
  }

  private static GenericKubernetesResource dag() {
    return Serialization.unmarshal(DAG, GenericKubernetesResource.class);
  }
}

package io.kontroler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's CRDs parse as Kubernetes' own model, are accepted by an API server, and give kubectl
 * short names ({@code kubectl get kdag}) and the columns that matter.
 */
@EnableKubernetesMockClient(crud = true)
class CrdTest {
  private static final Path CRDS = Path.of("kontroler", "crds");

  KubernetesClient client;

  private static CustomResourceDefinition crd(String file) throws IOException {
    return Serialization.unmarshal(
        Files.readString(CRDS.resolve(file)), CustomResourceDefinition.class);
  }

  /** Each column's name and JSONPath, in kubectl's order. */
  private static Map<String, String> columns(CustomResourceDefinition crd) {
    Map<String, String> columns = new java.util.LinkedHashMap<>();
    for (CustomResourceColumnDefinition c :
        crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns()) {
      columns.put(c.getName(), c.getJsonPath());
    }
    return columns;
  }

  @Test
  void eachKindHasItsShortNameAndTheKontrolerCategory() throws IOException {
    Map<String, String> shortNames =
        Map.of("dags.yaml", "kdag", "dagruns.yaml", "kdr", "dagtasks.yaml", "kdt");

    shortNames.forEach(
        (file, shortName) -> {
          try {
            CustomResourceDefinition crd = crd(file);
            assertThat(crd.getSpec().getNames().getShortNames())
                .as(file)
                .containsExactly(shortName);
            assertThat(crd.getSpec().getNames().getCategories()).as(file).contains("kontroler");
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
    assertThat(crd("workflows.yaml").getSpec().getNames().getCategories()).contains("kontroler");
  }

  @Test
  void dagsShowTheirVersionScheduleSuspensionLastRunPhaseAndAge() throws IOException {
    assertThat(columns(crd("dags.yaml")))
        .containsEntry("Version", ".status.version")
        .containsEntry("Schedule", ".spec.schedule")
        .containsEntry("Suspended", ".spec.suspended")
        .containsEntry("Last Run", ".status.lastRun.phase")
        .containsEntry("Age", ".metadata.creationTimestamp");
  }

  @Test
  void runsShowTheirDagPhaseProgressStartAndAge() throws IOException {
    assertThat(columns(crd("dagruns.yaml")))
        .containsEntry("DAG", ".spec.dagName")
        .containsEntry("Phase", ".status.phase")
        .containsEntry("Progress", ".status.progress")
        .containsEntry("Started", ".status.startTime")
        .containsEntry("Age", ".metadata.creationTimestamp");
  }

  @Test
  void dagTasksShowTheirLatestVersion() throws IOException {
    assertThat(columns(crd("dagtasks.yaml")))
        .containsEntry("Version", ".status.version")
        .containsEntry("Age", ".metadata.creationTimestamp");
  }

  @Test
  void everyColumnPointsAtAFieldOfTheSchema() throws IOException {
    for (String file : List.of("dags.yaml", "dagruns.yaml", "dagtasks.yaml")) {
      var version = crd(file).getSpec().getVersions().get(0);
      var root = version.getSchema().getOpenAPIV3Schema();
      for (CustomResourceColumnDefinition c : version.getAdditionalPrinterColumns()) {
        String[] path = c.getJsonPath().substring(1).split("\\.");
        if (path[0].equals("metadata")) {
          continue;
        }
        var node = root;
        for (String field : path) {
          node = node.getProperties().get(field);
          assertThat(node).as(file + " column " + c.getName() + " " + c.getJsonPath()).isNotNull();
        }
      }
    }
  }

  @Test
  void anApiServerAcceptsEveryCrdAsItIs() throws IOException {
    try (var files = Files.list(CRDS)) {
      for (Path file : files.sorted().toList()) {
        CustomResourceDefinition crd = crd(file.getFileName().toString());

        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();

        CustomResourceDefinition stored =
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crd.getMetadata().getName())
                .get();
        assertThat(stored.getSpec().getNames()).isEqualTo(crd.getSpec().getNames());
        assertThat(stored.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
            .isEqualTo(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns());
      }
    }
  }
}

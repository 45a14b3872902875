package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.parse.DocumentParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names that end up in Kubernetes resources or environments are the names those accept. */
class KubernetesNamesTest {

  private static List<String> problems(String yaml) {
    return DocumentSetValidator.validate(DocumentParser.parse(yaml), DagTaskCatalog.EMPTY).stream()
        .flatMap(r -> r.problems().stream())
        .map(Problem::toString)
        .toList();
  }

  @Test
  void slashesInNamespaceAndTaskNameAreRejectedWithTheirPaths() {
    List<String> found =
        problems(
            """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: d, namespace: "a/b"}
        spec:
          task:
            - {name: ok, image: alpine, command: [echo]}
            - {name: "x/y", image: alpine, command: [echo], runAfter: [ok]}
        """);
    assertThat(found)
        .containsExactlyInAnyOrder(
            "metadata.namespace: expected a namespace that is a DNS-1123 label (at most 63 of"
                + " a-z, 0-9 and '-', starting and ending with a letter or digit), but got 'a/b'",
            "spec.task[1].name: expected a task name that is a DNS-1123 label (at most 63 of a-z,"
                + " 0-9 and '-', starting and ending with a letter or digit), but got 'x/y'");
  }

  @Test
  void everyBadNameOfADagIsReportedAtOnce() {
    List<String> found =
        problems(
            """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: "Upper.Case", namespace: "-team"}
        spec:
          parameters:
            - {name: "has-dash", defaultValue: x}
            - {name: "9lives", defaultValue: x}
            - {name: GOOD_one, defaultValue: x}
          task:
            - {name: "dotted.name", image: alpine, command: [echo], parameters: [GOOD_one]}
            - {name: "%s", image: alpine, command: [echo], runAfter: [dotted.name]}
        """
                .formatted("a".repeat(64)));
    assertThat(found)
        .extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactlyInAnyOrder(
            "metadata.name",
            "metadata.namespace",
            "spec.parameters[0].name",
            "spec.parameters[1].name",
            "spec.task[0].name",
            "spec.task[1].name");
  }

  @Test
  void dagTaskAndDagRunNamesAndNamespacesAreChecked() {
    List<String> found =
        problems(
            """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DagTask
        metadata: {name: "My_Task", namespace: "a.b"}
        spec: {image: alpine, command: [env], parameters: [ok, "not-env"]}
        ---
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DagRun
        metadata: {name: "run/1", namespace: "Team"}
        spec: {dagName: d}
        """);
    assertThat(found)
        .extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactlyInAnyOrder(
            "metadata.name",
            "metadata.namespace",
            "spec.parameters[1]",
            "metadata.name",
            "metadata.namespace");
  }

  @Test
  void workflowStepNamesMustBeTaskNames() {
    List<String> found =
        problems(
            """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: WorkFlow
        metadata: {name: wf}
        spec:
          containers:
            - {stepName: Fetch_Data, image: alpine}
            - {stepName: build, image: alpine, dependsOn: [Fetch_Data]}
        """);
    assertThat(found)
        .containsExactly(
            "spec.containers[0].stepName: expected a task name that is a DNS-1123 label (at most"
                + " 63 of a-z, 0-9 and '-', starting and ending with a letter or digit), but got"
                + " 'Fetch_Data'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a-b", "0", "team-1", "x0"})
  void labelsAreAccepted(String name) {
    assertThat(Names.isLabel(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "a-", "A", "a_b", "a.b", "a/b", "é"})
  void nonLabelsAreRefused(String name) {
    assertThat(Names.isLabel(name)).isFalse();
  }

  @Test
  void labelsAndSubdomainsHaveTheirKubernetesLengths() {
    assertThat(Names.isLabel("a".repeat(63))).isTrue();
    assertThat(Names.isLabel("a".repeat(64))).isFalse();
    assertThat(Names.isSubdomain("a".repeat(63) + "." + "b".repeat(63))).isTrue();
    assertThat(Names.isSubdomain(("a".repeat(63) + ".").repeat(4) + "b")).isFalse();
  }
}

package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Document;
import io.kontroler.core.parse.DocumentParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class DagValidatorTest {

  private static List<String> problems(String yaml) {
    return DocumentSetValidator.validate(DocumentParser.parse(yaml), DagTaskCatalog.EMPTY).stream()
        .flatMap(r -> r.problems().stream())
        .map(Problem::toString)
        .toList();
  }

  @Test
  void reportsEveryProblemAtOnce() {
    List<String> found =
        problems(
            """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: Bad_Name}
        spec:
          schedule: "* * *"
          task:
            - {name: a, command: [echo]}
            - {name: a, image: x, command: [echo], runAfter: [zz]}
        """);
    assertThat(found)
        .hasSize(5)
        .anyMatch(p -> p.startsWith("metadata.name"))
        .anyMatch(p -> p.startsWith("spec.schedule"))
        .anyMatch(p -> p.startsWith("spec.task[0].image"))
        .anyMatch(p -> p.startsWith("spec.task[1].name"))
        .anyMatch(p -> p.startsWith("spec.task[1].runAfter[0]"));
  }

  @Test
  void taskRefIsResolvedToTheDagTaskBody() {
    var docs =
        DocumentParser.parse(
            """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DagTask
        metadata: {name: t}
        spec: {image: busybox, command: [ls], parameters: [p], backoff: {limit: 4}}
        """);
    var catalog = new DagTaskCatalog.InMemory();
    var task = (Document.DagTask) docs.get(0).document();
    catalog.add("default", "t", task.spec());
    var dag =
        (Document.Dag)
            DocumentParser.parseOne(
                    """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: d}
        spec:
          parameters: [{name: p, defaultValue: v}]
          task: [{name: x, taskRef: {name: t, version: 1}}]
        """)
                .document();

    var validated = DagValidator.validate(dag.metadata(), dag.spec(), catalog);

    assertThat(validated.problems()).isEmpty();
    assertThat(validated.value().task().get(0).image()).isEqualTo("busybox");
    assertThat(validated.value().task().get(0).backoff().limit()).isEqualTo(4);
  }

  @Test
  void dagTaskVersionsAdvanceOnlyWhenTheSpecChanges() {
    var catalog = new DagTaskCatalog.InMemory();
    var v1 =
        ((Document.DagTask)
                DocumentParser.parseOne(
                        """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DagTask
        metadata: {name: t}
        spec: {image: a, command: [x]}
        """)
                    .document())
            .spec();
    var v2 =
        ((Document.DagTask)
                DocumentParser.parseOne(
                        """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DagTask
        metadata: {name: t}
        spec: {image: b, command: [x]}
        """)
                    .document())
            .spec();

    assertThat(catalog.add("default", "t", v1)).isEqualTo(1);
    assertThat(catalog.add("default", "t", v1)).isEqualTo(1);
    assertThat(catalog.add("default", "t", v2)).isEqualTo(2);
    assertThat(catalog.versions("default", "t")).containsOnlyKeys(1, 2);
  }

  @Test
  void workflowStepsMapOntoTasksWithTheStepTimeoutAsDeadline() {
    var wf =
        (Document.Workflow)
            DocumentParser.parseOne(
                    """
        apiVersion: kopf.dev/v1
        kind: Workflow
        metadata: {name: w}
        spec:
          maxStepTimeout: 5
          containers:
            - {stepName: one, image: alpine, command: null}
            - {stepName: two, image: alpine, command: [echo], dependsOn: [one]}
        """)
                .document();

    var validated = DagValidator.validateWorkflow(wf.metadata(), wf.spec());

    assertThat(validated.problems()).isEmpty();
    assertThat(validated.value().task())
        .extracting(t -> t.podTemplate().activeDeadlineSeconds())
        .containsExactly(5L, 5L);
    assertThat(validated.value().task().get(0).command()).isNull();
    assertThat(validated.value().task().get(1).runAfter()).containsExactly("one");
  }

  @Test
  void jsonInputIsAcceptedToo() {
    assertThat(
            problems(
                """
        {"apiVersion": "kontroler.greedykomodo/v1alpha1", "kind": "DAG",
         "metadata": {"name": "j"},
         "spec": {"task": [{"name": "a", "image": "x", "command": ["y"]}]}}
        """))
        .isEmpty();
  }
}

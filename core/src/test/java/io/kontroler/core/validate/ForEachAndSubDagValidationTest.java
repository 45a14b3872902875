package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagRef;
import io.kontroler.core.dag.Document;
import io.kontroler.core.parse.DocumentParser;
import io.kontroler.core.parse.ParsedDocument;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fields {@code forEach}, {@code parallelism} and {@code dagRef}: read, and checked. */
class ForEachAndSubDagValidationTest {

  private static List<String> problems(String yaml) {
    return DocumentSetValidator.validate(DocumentParser.parse(yaml), DagTaskCatalog.EMPTY).stream()
        .flatMap(r -> r.problems().stream())
        .map(Problem::toString)
        .toList();
  }

  private static String dag(String name, String spec) {
    return """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: %s}
        spec:
        """
            .formatted(name)
        + spec.indent(2);
  }

  @Test
  void readsForEachParallelismAndDagRef() {
    String yaml =
        dag(
            "flow",
            """
                task:
                  - {name: list, image: alpine, outputs: [items], command: [true]}
                  - name: process
                    runAfter: [list]
                    forEach: "{{ tasks.list.outputs.items }}"
                    parallelism: 4
                    image: alpine
                    command: [echo, "{{ item }}", "{{ item.id }}"]
                  - name: fixed
                    forEach: [a, 1, {id: x}]
                    image: alpine
                    command: [echo, "{{ item }}"]
                  - name: report
                    runAfter: [process]
                    dagRef:
                      name: report
                      parameters: [{name: day, value: "{{ run.logicalDate }}"}]
                """);
    ParsedDocument parsed = DocumentParser.parseOne(yaml);
    var spec = ((Document.Dag) parsed.document()).spec();

    assertThat(parsed.problems()).isEmpty();
    assertThat(spec.task().get(1).forEachTemplate()).isEqualTo("{{ tasks.list.outputs.items }}");
    assertThat(spec.task().get(1).parallelism()).isEqualTo(4);
    assertThat(spec.task().get(2).forEachItems())
        .containsExactly("a", 1L, java.util.Map.of("id", "x"));
    assertThat(spec.task().get(3).dagRef())
        .isEqualTo(
            new DagRef("report", List.of(new DagRef.Parameter("day", "{{ run.logicalDate }}"))));
    assertThat(problems(yaml)).isEmpty();
  }

  @Test
  void refusesBadForEachTemplatesAndParallelism() {
    List<String> found =
        problems(
            dag(
                "flow",
                """
                task:
                  - {name: a, image: alpine, command: [true], forEach: "{{ tasks.nope.outputs.x }}"}
                  - {name: b, image: alpine, command: [true], forEach: "{{ unclosed"}
                  - {name: c, image: alpine, command: [true], forEach: "plain text"}
                  - {name: d, image: alpine, command: [true], forEach: [1], parallelism: 0}
                  - {name: e, image: alpine, command: [echo, "{{ item }}"]}
                  - {name: f, image: alpine, command: [true], parallelism: 2}
                  - {name: g, image: alpine, command: [true], forEach: {a: 1}}
                  - {name: h, image: alpine, command: [true], forEach: "{{ item }}"}
                """));

    assertThat(found)
        .containsExactlyInAnyOrder(
            "spec.task[0].forEach: {{ tasks.nope.outputs.x }}: unknown task 'nope'",
            "spec.task[1].forEach: expected a literal list or a template that yields a JSON list,"
                + " but got '{{ unclosed': bad template: '{{' at character 0 is not closed by '}}'",
            "spec.task[2].forEach: expected a literal list or a template that yields a JSON list,"
                + " but got 'plain text'",
            "spec.task[3].parallelism: expected at least 1 instance at once, but got 0",
            "spec.task[4].command[1]: {{ item }}: {{ item }} is only defined in the command, args,"
                + " script and env of a forEach task",
            "spec.task[5].parallelism: parallelism needs a forEach",
            "spec.task[6].forEach: expected a list or a template text that yields a JSON list, but"
                + " got an object",
            "spec.task[7].forEach: {{ item }}: {{ item }} is only defined in the command, args,"
                + " script and env of a forEach task");
  }

  @Test
  void aDagRefTaskHasNoImageCommandOrScript() {
    List<String> found =
        problems(
            dag(
                "flow",
                """
                task:
                  - {name: a, image: alpine, command: [true], dagRef: {name: other}}
                  - {name: b, dagRef: {name: ""}}
                  - {name: c, dagRef: {name: other}}
                """));

    assertThat(found)
        .containsExactlyInAnyOrder(
            "spec.task[0].dagRef: task 'a' has a dagRef and an image, command or script",
            "spec.task[1].dagRef.name: task 'b' names no DAG");
  }

  @Test
  void refusesCyclesOfSubDagsWhoseDagsAreKnown() {
    assertThat(problems(dag("flow", "task: [{name: again, dagRef: {name: flow}}]")))
        .containsExactly(
            "spec.task[0].dagRef.name: task 'again' runs DAG 'flow' itself: a cycle of sub-DAGs");
    List<String> found =
        problems(
            dag("one", "task: [{name: x, dagRef: {name: two}}]")
                + "---\n"
                + dag("two", "task: [{name: y, dagRef: {name: three}}]")
                + "---\n"
                + dag("three", "task: [{name: z, dagRef: {name: one}}]")
                + "---\n"
                + dag("four", "task: [{name: w, dagRef: {name: one}}]"));
    assertThat(found)
        .containsExactlyInAnyOrder(
            "spec.task: DAG 'one' runs itself through sub-DAGs: default/one -> default/two ->"
                + " default/three -> default/one",
            "spec.task: DAG 'two' runs itself through sub-DAGs: default/two -> default/three ->"
                + " default/one -> default/two",
            "spec.task: DAG 'three' runs itself through sub-DAGs: default/three -> default/one ->"
                + " default/two -> default/three");
  }
}

package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Document;
import io.kontroler.core.parse.DocumentParser;
import io.kontroler.core.parse.ParsedDocument;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The field {@code pool} of a DAG's task: read, kept through a taskRef, and checked. */
class PoolValidationTest {

  private static List<String> problems(String yaml) {
    return DocumentSetValidator.validate(DocumentParser.parse(yaml), DagTaskCatalog.EMPTY).stream()
        .flatMap(r -> r.problems().stream())
        .map(Problem::toString)
        .toList();
  }

  private static String dag(String tasks) {
    return """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: nightly}
        spec:
          task:
        """
        + tasks.indent(4);
  }

  @Test
  void readsThePoolOfAnInlineTaskAndOfATaskWithATaskRef() {
    String yaml =
        """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DagTask
        metadata: {name: load}
        spec: {image: alpine, command: [true]}
        ---
        """
            + dag(
                """
                - {name: extract, image: alpine, command: [true], pool: warehouse}
                - name: load
                  runAfter: [extract]
                  taskRef: {name: load, version: 1}
                  pool: warehouse
                - {name: report, image: alpine, command: [true], runAfter: [load]}
                """);

    ParsedDocument parsed = DocumentParser.parse(yaml).get(1);
    assertThat(parsed.problems()).isEmpty();
    var tasks = ((Document.Dag) parsed.document()).spec().task();
    assertThat(tasks).extracting(t -> t.pool()).containsExactly("warehouse", "warehouse", null);
    assertThat(tasks.get(0).usesPool()).isTrue();
    assertThat(tasks.get(2).usesPool()).isFalse();
    assertThat(problems(yaml)).isEmpty();
  }

  @Test
  void aPoolThatIsNoLabelOrOnAnApprovalOrDagRefTaskIsRefusedSayingWhere() {
    String yaml =
        dag(
            """
            - {name: upper, image: alpine, command: [true], pool: Warehouse}
            - {name: long, image: alpine, command: [true], pool: %s}
            - name: sign-off
              approval: {approvers: [carol], timeoutSeconds: 60}
              pool: warehouse
            - name: child
              dagRef: {name: other}
              pool: warehouse
            - {name: blank, image: alpine, command: [true], pool: ""}
            """
                .formatted("p".repeat(64)));

    assertThat(problems(yaml))
        .containsExactlyInAnyOrder(
            "spec.task[0].pool: expected a pool name that is a DNS-1123 label (at most 63 of a-z,"
                + " 0-9 and '-', starting and ending with a letter or digit), but got 'Warehouse'",
            "spec.task[1].pool: expected a pool name that is a DNS-1123 label (at most 63 of a-z,"
                + " 0-9 and '-', starting and ending with a letter or digit), but got '"
                + "p".repeat(64)
                + "'",
            "spec.task[2].pool: task 'sign-off' has an approval and a pool: a pool is for tasks"
                + " that run",
            "spec.task[3].pool: task 'child' has a dagRef and a pool: give the child DAG's tasks"
                + " the pool instead",
            "spec.task[4].pool: expected a pool name that is a DNS-1123 label (at most 63 of a-z,"
                + " 0-9 and '-', starting and ending with a letter or digit), but got ''");
  }

  @Test
  void anExitTaskMayTakeASlotToo() {
    String yaml =
        dag("- {name: a, image: alpine, command: [true]}")
            + """
              onExit:
              - {name: notify, image: alpine, command: [true], pool: mail}
            """;

    assertThat(problems(yaml)).isEmpty();
  }
}

package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Approval;
import io.kontroler.core.dag.Document;
import io.kontroler.core.parse.DocumentParser;
import io.kontroler.core.parse.ParsedDocument;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fields {@code approval} of a task and {@code sla} of a DAG: read, and checked. */
class ApprovalValidationTest {

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
        metadata: {name: release}
        spec:
          task:
        """
        + tasks.indent(4);
  }

  @Test
  void readsAnApprovalTaskInPlaceOfAnImage() {
    String yaml =
        dag(
            """
            - {name: build, image: alpine, command: [true]}
            - name: sign-off
              runAfter: [build]
              approval: {approvers: [release-managers, carol], timeoutSeconds: 86400}
            """);
    ParsedDocument parsed = DocumentParser.parseOne(yaml);

    assertThat(parsed.problems()).isEmpty();
    var task = ((Document.Dag) parsed.document()).spec().task().get(1);
    assertThat(task.approval())
        .isEqualTo(new Approval(List.of("release-managers", "carol"), 86400));
    assertThat(problems(yaml)).isEmpty();
  }

  @Test
  void anApprovalTaskWithAnImageNoApproversOrNoTimeoutIsRefusedSayingWhere() {
    String yaml =
        dag(
            """
            - name: both
              image: alpine
              command: [true]
              approval: {approvers: [carol], timeoutSeconds: 60}
            - name: nobody
              approval: {approvers: [], timeoutSeconds: 60}
            - name: forever
              approval: {approvers: [carol], timeoutSeconds: 0}
            - name: fan
              forEach: [a, b]
              approval: {approvers: [carol], timeoutSeconds: 60}
            """);

    assertThat(problems(yaml))
        .containsExactlyInAnyOrder(
            "spec.task[0].approval: task 'both' has an approval and an image, command or script",
            "spec.task[1].approval.approvers: expected at least one user or role name, and no"
                + " blank one",
            "spec.task[2].approval.timeoutSeconds: expected seconds > 0, but got 0",
            "spec.task[3].approval: task 'fan' has an approval and a taskRef, dagRef or forEach");
  }

  @Test
  void readsAnSlaAndRefusesOneWithoutSecondsOrWithSecondsBelowOne() {
    String good =
        """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: nightly}
        spec:
          sla: {runSeconds: 3600, taskSeconds: 600}
          task:
            - {name: a, image: alpine, command: [true]}
        """;
    ParsedDocument parsed = DocumentParser.parseOne(good);
    assertThat(((Document.Dag) parsed.document()).spec().sla())
        .isEqualTo(new io.kontroler.core.dag.Sla(3600L, 600L));
    assertThat(problems(good)).isEmpty();

    assertThat(problems(good.replace("{runSeconds: 3600, taskSeconds: 600}", "{runSeconds: 0}")))
        .containsExactly("spec.sla.runSeconds: expected seconds > 0, but got 0");
    assertThat(problems(good.replace("{runSeconds: 3600, taskSeconds: 600}", "{}")))
        .containsExactly("spec.sla: expected runSeconds or taskSeconds, or both");
  }
}

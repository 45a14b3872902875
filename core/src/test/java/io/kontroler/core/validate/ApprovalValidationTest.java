package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Approval;
import io.kontroler.core.dag.Document;
import io.kontroler.core.parse.DocumentParser;
import io.kontroler.core.parse.ParsedDocument;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The field {@code approval} of a task: read, and checked. */
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
}

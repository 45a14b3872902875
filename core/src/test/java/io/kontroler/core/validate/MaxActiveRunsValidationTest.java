package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Document;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.parse.DocumentParser;
import io.kontroler.core.parse.ParsedDocument;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DAG field {@code maxActiveRuns}: read, checked, and left out of the JSON when unset. */
class MaxActiveRunsValidationTest {

  private static String dag(String extra) {
    return """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: nightly}
        spec:
          schedule: "0 2 * * *"
          concurrencyPolicy: Forbid
        %s
          task:
            - {name: a, image: alpine, command: [true]}
        """
        .formatted(extra);
  }

  private static List<String> problems(String yaml) {
    return DocumentSetValidator.validate(DocumentParser.parse(yaml), DagTaskCatalog.EMPTY).stream()
        .flatMap(r -> r.problems().stream())
        .map(Problem::toString)
        .toList();
  }

  @Test
  void readsMaxActiveRuns() {
    ParsedDocument parsed = DocumentParser.parseOne(dag("  maxActiveRuns: 3"));

    assertThat(parsed.problems()).isEmpty();
    assertThat(((Document.Dag) parsed.document()).spec().maxActiveRuns()).isEqualTo(3);
    assertThat(problems(dag("  maxActiveRuns: 3"))).isEmpty();
  }

  @Test
  void anAbsentLimitIsNoLimitAndIsLeftOutOfTheJson() {
    var spec = ((Document.Dag) DocumentParser.parseOne(dag("")).document()).spec();

    assertThat(spec.maxActiveRuns()).isNull();
    assertThat(MessageCodec.mapper().valueToTree(spec).has("maxActiveRuns")).isFalse();
  }

  @Test
  void refusesALimitBelowOne() {
    assertThat(problems(dag("  maxActiveRuns: 0")))
        .containsExactly("spec.maxActiveRuns: expected at least 1 active run at once, but got 0");
    assertThat(problems(dag("  maxActiveRuns: -2")))
        .containsExactly("spec.maxActiveRuns: expected at least 1 active run at once, but got -2");
  }

  @Test
  void refusesALimitThatIsNotAnInteger() {
    assertThat(DocumentParser.parseOne(dag("  maxActiveRuns: two")).problems())
        .extracting(Problem::toString)
        .containsExactly("spec.maxActiveRuns: expected an integer, but got 'two'");
  }
}

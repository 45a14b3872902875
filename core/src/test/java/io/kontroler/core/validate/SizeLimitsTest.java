package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.RunParameter;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.parse.DocumentParser;
import io.kontroler.core.parse.ParsedDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameters, run names and documents are bounded, with a problem naming the path and limit. */
class SizeLimitsTest {
  private static final DagSpec DAG =
      DagSpec.of(List.of(TaskSpec.of("a", "alpine", List.of("true"), List.of())))
          .withParameters(
              List.of(
                  new ParameterSpec("a", "", null),
                  new ParameterSpec("b", "", null),
                  new ParameterSpec("c", "", null),
                  new ParameterSpec("d", "", null),
                  new ParameterSpec("e", "", null)));

  @Test
  void aParameterValueOverTheLimitIsAProblemAtItsPath() {
    String big = "x".repeat(RunValidator.MAX_PARAMETER_BYTES + 1);

    var result =
        RunValidator.resolve(
            "d/x", DAG, Map.of("a", new ParameterValue.Literal(big)), "parameters");

    assertThat(result.problems())
        .containsExactly(
            new Problem("parameters[a]", "value of 32769 bytes is over the limit of 32768 bytes"));
  }

  @Test
  void parametersOverTheLimitAllTogetherAreAProblemAtTheirBase() {
    String value = "é".repeat(RunValidator.MAX_PARAMETER_BYTES / 2); // 2 bytes per character
    Map<String, ParameterValue> overrides = new LinkedHashMap<>();
    for (String name : List.of("a", "b", "c", "d", "e")) {
      overrides.put(name, new ParameterValue.Literal(value));
    }

    var result = RunValidator.resolve("d/x", DAG, overrides, "parameters");

    assertThat(result.problems())
        .containsExactly(
            new Problem(
                "parameters",
                "parameters of 163845 bytes all together are over the limit of 131072 bytes"));
  }

  @Test
  void aDagRunParameterValueOverTheLimitIsAProblemAtItsValue() {
    String big = "x".repeat(RunValidator.MAX_PARAMETER_BYTES + 1);

    assertThat(RunValidator.checkOverrides(List.of(new RunParameter("a", big, null))))
        .containsExactly(
            new Problem(
                "spec.parameters[0].value",
                "value of 32769 bytes is over the limit of 32768 bytes"));
  }

  @Test
  void aRunNameOverTheLimitIsAProblem() {
    assertThat(RunValidator.checkRunName("r".repeat(253), "runName")).isEmpty();
    assertThat(RunValidator.checkRunName("r".repeat(254), "runName"))
        .containsExactly(
            new Problem("runName", "run name of 254 characters is over the limit of 253"));
  }

  @Test
  void aTextOverTheLimitIsNotParsed() {
    String text = "#".repeat(DocumentParser.MAX_TEXT_CHARS + 1);

    assertThat(DocumentParser.parse(text))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.problems())
                    .containsExactly(
                        new Problem(
                            "", "text of 2097153 characters is over the limit of 2097152")));
  }

  @Test
  void aDocumentOverTheLimitIsAProblemAndTheOthersAreRead() {
    String small =
        """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: small}
        spec:
          task: [{name: a, image: alpine, command: ["true"]}]
        """;
    String huge =
        small
            .replace("small", "huge")
            .replace("[\"true\"]", "[\"" + "y".repeat(DocumentParser.MAX_DOCUMENT_CHARS) + "\"]");

    List<ParsedDocument> docs = DocumentParser.parse(small + "---\n" + huge);

    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).ok()).isTrue();
    assertThat(docs.get(1).problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).endsWith("is over the limit of " + (512 * 1024)));
  }
}

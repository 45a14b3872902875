package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.parse.DocumentParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped examples validate; each bad example is rejected with a message naming the culprit.
 */
class ExamplesValidationTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  static List<String> problemsOf(Path file) throws IOException {
    var docs = DocumentParser.parse(Files.readString(file));
    return DocumentSetValidator.validate(docs, DagTaskCatalog.EMPTY).stream()
        .flatMap(r -> r.problems().stream())
        .map(Problem::toString)
        .toList();
  }

  @Test
  void everyGoodExampleIsValid() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).hasSizeGreaterThanOrEqualTo(6);
      for (Path file : yaml) {
        assertThat(problemsOf(file)).as(file.toString()).isEmpty();
      }
    }
  }

  @Test
  void dagRunFromSecretIsValidAgainstItsDag() throws IOException {
    String both =
        Files.readString(EXAMPLES.resolve("process-data.yaml"))
            + "\n---\n"
            + Files.readString(EXAMPLES.resolve("dagrun-from-secret.yaml"));
    var results = DocumentSetValidator.validate(DocumentParser.parse(both), DagTaskCatalog.EMPTY);
    assertThat(results).hasSize(4).allSatisfy(r -> assertThat(r.problems()).isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "duplicate-task.yaml | spec.task[1].name: duplicate name 'a' (first at spec.task[0])",
        "empty-name.yaml | spec.task[0].name: empty name",
        "cycle.yaml | spec.task[1].runAfter: cycle: a -> b -> c -> a (each runs before the next)",
        "unknown-run-after.yaml | spec.task[1].runAfter[0]: 'b' depends on unknown 'ghost'",
        "self-dependency.yaml | spec.task[1].runAfter[0]: 'loop' depends on itself",
        "no-root.yaml | spec.task: no root: every entry depends on another, so nothing can start",
        "no-image.yaml | spec.task[0].image: task 'imageless' has no image",
        "command-and-script.yaml | spec.task[0]: task 'both' sets both command and script",
        "command-and-script.yaml | spec.task[1]: task 'neither' needs a command or a script",
        "undeclared-parameter.yaml | spec.task[0].parameters[0]: task 'uses-token' uses parameter"
            + " 'token' that the DAG does not declare",
        "undeclared-parameter-through-taskref.yaml | spec.task[0].taskRef: task 'via-ref' uses"
            + " parameter 'region' (through DagTask 'needs-region' version 1) that the DAG does"
            + " not declare",
        "parameter-default.yaml | spec.parameters[0]: parameter 'both-defaults' needs exactly one"
            + " of defaultValue or defaultFromSecret, but has both",
        "parameter-default.yaml | spec.parameters[1]: parameter 'no-default' needs exactly one of"
            + " defaultValue or defaultFromSecret, but has neither",
        "bad-cron.yaml | spec.schedule: bad cron expression: minute field '61': Value 61"
            + " not in range [0, 59]",
        "unknown-dagtask.yaml | spec.task[0].taskRef.name: task 'ref' refers to unknown DagTask"
            + " 'not-there' in namespace 'default'",
        "unknown-dagtask-version.yaml | spec.task[0].taskRef.version: task 'ref' refers to version"
            + " 7 of DagTask 'versioned', which has versions [1]",
        "dagrun-undeclared-parameter.yaml | spec.parameters[0].name: DAG 'small' declares no"
            + " parameter 'undeclared' (it declares [declared])",
        "unknown-field.yaml | spec.task[0].retries: unknown field 'retries'",
      })
  void badExampleIsRejectedNamingTheCulprit(String file, String expected) throws IOException {
    assertThat(problemsOf(EXAMPLES.resolve("bad").resolve(file))).contains(expected);
  }

  @Test
  void syntaxErrorsCarryLineAndColumn() throws IOException {
    List<String> problems = problemsOf(EXAMPLES.resolve("bad/syntax-error.yaml"));
    assertThat(problems)
        .containsExactly(
            "line 7, column 23: syntax error: while parsing a flow sequence: expected ',' or ']',"
                + " but got <stream end>");
  }

  @Test
  void everyBadExampleHasAtLeastOneProblem() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES.resolve("bad"))) {
      for (Path file : files.toList()) {
        assertThat(problemsOf(file)).as(file.toString()).isNotEmpty();
      }
    }
  }
}

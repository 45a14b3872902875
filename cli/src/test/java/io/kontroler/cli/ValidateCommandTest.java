package io.kontroler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ValidateCommandTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  record Outcome(int exit, String out, String err) {}

  static Outcome kontroler(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Outcome(exit, out.toString(), err.toString());
  }

  @Test
  void acceptsTheSeedExamplesTogether() {
    Outcome o =
        kontroler(
            "validate",
            "-f",
            EXAMPLES.resolve("process-data.yaml").toString(),
            "-f",
            EXAMPLES.resolve("dagrun-from-secret.yaml").toString());

    assertThat(o.exit()).isZero();
    assertThat(o.out())
        .contains(
            "(DagTask process-data): valid",
            "(DAG workflow1): valid",
            "(DAG workflow2): valid",
            "(DagRun workflow1-nightly): valid",
            "4 valid, 0 invalid");
  }

  @Test
  void rejectsEveryBadExampleNamingTheCulpritOneProblemPerLine() throws Exception {
    List<Path> bad;
    try (Stream<Path> files = Files.list(EXAMPLES.resolve("bad"))) {
      bad = files.sorted().toList();
    }
    for (Path file : bad) {
      Outcome o = kontroler("validate", "-f", file.toString());
      assertThat(o.exit()).as(file.toString()).isEqualTo(1);
      assertThat(o.out()).as(file.toString()).contains(file + " document");
    }
    Outcome cycle = kontroler("validate", "-f", EXAMPLES.resolve("bad/cycle.yaml").toString());
    assertThat(cycle.out().lines())
        .contains(
            EXAMPLES.resolve("bad/cycle.yaml")
                + " document 1 (DAG cycle): spec.task[1].runAfter: cycle: a -> b -> c -> a (each runs"
                + " before the next)");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(kontroler("validate").exit()).isEqualTo(2);
    assertThat(kontroler("validate", "-f", "/no/such/file.yaml").exit()).isEqualTo(2);
  }
}

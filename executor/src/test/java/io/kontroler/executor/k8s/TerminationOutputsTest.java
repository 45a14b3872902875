package io.kontroler.executor.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.run.FailureKind;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wrapper that leaves a container's outputs in its termination message, run by a real {@code
 * sh} here with a folder and a message file of its own, and the reading of what it leaves.
 */
class TerminationOutputsTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  /** What the wrapper around {@code sh -c script} leaves, and its exit code. */
  record Ran(int exit, String message) {}

  private Ran run(String script, String... names) throws Exception {
    Path outputs = Files.createDirectories(dir.resolve("outputs"));
    Path message = dir.resolve("termination-log");
    List<String> line =
        TerminationOutputs.wrap(List.of("sh", "-c", script), List.of(names), message.toString());
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
    builder.environment().put("KONTROLER_OUTPUTS", outputs.toString());
    Process process = builder.start();
    process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String text = Files.exists(message) ? Files.readString(message, StandardCharsets.UTF_8) : null;
    return new Ran(process.exitValue(), text);
  }

  @Test
  void theWrapperLeavesTheDeclaredFilesAndTheReaderGetsThemBack() throws Exception {
    Ran ran =
        run(
            "echo '[\"a\",\"b\"]' > \"$KONTROLER_OUTPUTS/items\"\n"
                + "printf 'two\\nlines\\n\\n' > \"$KONTROLER_OUTPUTS/text\"\n"
                + "printf 'x y -' > \"$KONTROLER_OUTPUTS/odd\"\n"
                + "echo ignored > \"$KONTROLER_OUTPUTS/undeclared\"",
            "items",
            "text",
            "odd",
            "missing");

    assertThat(ran.exit()).isZero();
    PhaseInfo phase =
        TerminationOutputs.read(ran.message(), List.of("items", "text", "odd", "missing"), AT);
    assertThat(phase.phase()).isEqualTo(Phase.Succeeded);
    assertThat(phase.outputs())
        .isEqualTo(
            Map.of(
                "items", "[\"a\",\"b\"]", "text", "two\nlines\n", "odd", "x y -", "missing", ""));
  }

  @Test
  void aFailingCommandKeepsItsExitCodeAndLeavesNoMessage() throws Exception {
    Ran ran = run("echo partial > \"$KONTROLER_OUTPUTS/x\"; exit 7", "x");

    assertThat(ran.exit()).isEqualTo(7);
    assertThat(ran.message()).isNull();
  }

  @Test
  void outputsOverTheLimitLeaveTheirSizeAloneAndFailAsInvalidOutputs() throws Exception {
    Ran ran = run("head -c 5000 /dev/zero | tr '\\0' z > \"$KONTROLER_OUTPUTS/blob\"", "blob");

    assertThat(ran.exit()).isZero();
    assertThat(ran.message()).isEqualTo("kontroler-outputs 1 5000\n");
    PhaseInfo phase = TerminationOutputs.read(ran.message(), List.of("blob"), AT);
    assertThat(phase.failureKind()).isEqualTo(FailureKind.INVALID_OUTPUTS);
    assertThat(phase.phase()).isEqualTo(Phase.PermanentFailure);
    assertThat(phase.message()).contains("5000 bytes").contains("limit of 4096 bytes");
  }

  @Test
  void aMessageCutByKubernetesFailsSayingItDidNotFit() throws Exception {
    Ran ran = run("head -c 4090 /dev/zero | tr '\\0' z > \"$KONTROLER_OUTPUTS/blob\"", "blob");
    String kept = ran.message().substring(0, TerminationOutputs.MESSAGE_LIMIT);

    PhaseInfo whole = TerminationOutputs.read(ran.message(), List.of("blob"), AT);
    PhaseInfo cut = TerminationOutputs.read(kept, List.of("blob"), AT);

    assertThat(whole.outputs().get("blob")).hasSize(4090);
    assertThat(cut.failureKind()).isEqualTo(FailureKind.INVALID_OUTPUTS);
    assertThat(cut.message()).contains("do not fit the container's termination message");
  }

  @Test
  void noMessageAtAllSaysTheImageNeedsSh() {
    PhaseInfo phase = TerminationOutputs.read(null, List.of("x"), AT);

    assertThat(phase.failureKind()).isEqualTo(FailureKind.INVALID_OUTPUTS);
    assertThat(phase.message()).contains("no outputs in its termination message").contains("sh");
  }
}

package io.kontroler.executor.process;

import static io.kontroler.executor.Launches.asAttempt;
import static io.kontroler.executor.Launches.script;
import static io.kontroler.executor.Launches.withOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.executor.WorkFolders;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.logstore.LocalLogStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs of attempts run as real processes: written to $KONTROLER_OUTPUTS, read after exit 0. */
class ProcessOutputsTest {
  @TempDir Path dataDir;
  private Path workDir;
  private LocalLogStore logs;
  private ProcessBackend backend;

  @BeforeEach
  void setUp() throws IOException {
    workDir = WorkFolders.create();
    Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    logs = new LocalLogStore(dataDir.resolve("logs"));
    backend = newBackend();
  }

  private ProcessBackend newBackend() {
    return new ProcessBackend(ProcessSettings.defaults(dataDir, workDir), logs);
  }

  @AfterEach
  void tearDown() throws IOException {
    backend.close();
    WorkFolders.delete(workDir);
  }

  @Test
  void declaredOutputsAreReadAfterExitZeroWithOneTrailingNewlineDropped() {
    LaunchTask launch =
        withOutputs(
            script(
                "o1",
                "list",
                "echo '[\"a\",\"b\",\"c\"]' > \"$KONTROLER_OUTPUTS/items\"\n"
                    + "printf '3\\n\\n' > \"$KONTROLER_OUTPUTS/count\"\n"
                    + "printf 'no newline' > \"$KONTROLER_OUTPUTS/raw\"\n"
                    + "echo undeclared > \"$KONTROLER_OUTPUTS/other\""),
            "items",
            "count",
            "raw",
            "missing");

    backend.start(launch, 0);
    PhaseInfo end = awaitEnd(launch);

    assertThat(end.phase()).isEqualTo(Phase.Succeeded);
    assertThat(end.outputs())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "items", "[\"a\",\"b\",\"c\"]",
                "count", "3\n",
                "raw", "no newline",
                "missing", ""));
  }

  @Test
  void eachAttemptWritesToAFolderOfItsOwnThatStartsEmpty() throws Exception {
    String body =
        "n=$(ls -A \"$KONTROLER_OUTPUTS\" | wc -l | tr -d ' ')\n"
            + "echo \"$n\" > \"$KONTROLER_OUTPUTS/before\"\n"
            + "echo \"$KONTROLER_OUTPUTS\" > \"$KONTROLER_OUTPUTS/folder\"";
    LaunchTask first = withOutputs(script("o2", "twice", body), "before", "folder");
    LaunchTask second = asAttempt(first, 2);

    backend.start(first, 0);
    PhaseInfo firstEnd = awaitEnd(first);
    backend.start(second, 0);
    PhaseInfo secondEnd = awaitEnd(second);

    assertThat(firstEnd.outputs()).containsEntry("before", "0");
    assertThat(secondEnd.outputs()).containsEntry("before", "0");
    assertThat(firstEnd.outputs().get("folder"))
        .isNotEqualTo(secondEnd.outputs().get("folder"))
        .startsWith(workDir.resolve("o2").toRealPath().toString());
  }

  @Test
  void outputsOfExactlyTheLimitSucceedAndOneByteMoreFailsAsInvalidOutputs() {
    // 4000 + 96 bytes: the limit; the trailing newline of each file does not count.
    LaunchTask fits =
        withOutputs(
            script(
                "o3",
                "fits",
                "head -c 4000 /dev/zero | tr '\\0' a > \"$KONTROLER_OUTPUTS/a\"; echo >>"
                    + " \"$KONTROLER_OUTPUTS/a\"\n"
                    + "head -c 96 /dev/zero | tr '\\0' b > \"$KONTROLER_OUTPUTS/b\""),
            "a",
            "b");
    LaunchTask over =
        withOutputs(
            script(
                "o3",
                "over",
                "head -c 4000 /dev/zero | tr '\\0' a > \"$KONTROLER_OUTPUTS/a\"\n"
                    + "head -c 97 /dev/zero | tr '\\0' b > \"$KONTROLER_OUTPUTS/b\""),
            "a",
            "b");

    backend.start(fits, 0);
    backend.start(over, 0);
    PhaseInfo fitsEnd = awaitEnd(fits);
    PhaseInfo overEnd = awaitEnd(over);

    assertThat(fitsEnd.phase()).isEqualTo(Phase.Succeeded);
    assertThat(fitsEnd.outputs().get("a")).hasSize(4000);
    assertThat(fitsEnd.outputs().get("b")).hasSize(96);
    assertThat(overEnd.phase()).isEqualTo(Phase.PermanentFailure);
    assertThat(overEnd.failureKind()).isEqualTo(FailureKind.INVALID_OUTPUTS);
    assertThat(overEnd.exitCode()).isZero();
    assertThat(overEnd.message()).contains("4097 bytes").contains("limit of 4096 bytes");
    assertThat(overEnd.outputs()).isEmpty();
  }

  @Test
  void oneHugeOutputFailsWithoutBeingReadWhole() {
    LaunchTask launch =
        withOutputs(
            script("o4", "huge", "head -c 10000000 /dev/zero > \"$KONTROLER_OUTPUTS/blob\""),
            "blob");

    backend.start(launch, 0);
    PhaseInfo end = awaitEnd(launch);

    assertThat(end.failureKind()).isEqualTo(FailureKind.INVALID_OUTPUTS);
    assertThat(end.message()).contains("10000000 bytes");
  }

  @Test
  void aLinkIsNotFollowedSoATaskCanNotHaveKontrolerReadFilesForIt() {
    LaunchTask launch =
        withOutputs(
            script("o5", "sneaky", "ln -s /etc/hostname \"$KONTROLER_OUTPUTS/secret\""), "secret");

    backend.start(launch, 0);
    PhaseInfo end = awaitEnd(launch);

    assertThat(end.failureKind()).isEqualTo(FailureKind.INVALID_OUTPUTS);
    assertThat(end.message()).contains("'secret' is not a regular file");
  }

  @Test
  void aFailedAttemptHasNoOutputs() {
    LaunchTask launch =
        withOutputs(script("o6", "fails", "echo partial > \"$KONTROLER_OUTPUTS/x\"; exit 2"), "x");

    backend.start(launch, 0);
    PhaseInfo end = awaitEnd(launch);

    assertThat(end.failureKind()).isEqualTo(FailureKind.EXITED);
    assertThat(end.outputs()).isEmpty();
  }

  @Test
  void outputsOfAnOutcomeNotYetPublishedAreReportedByTheNextBackend() {
    LaunchTask launch =
        withOutputs(
            script(
                "o7",
                "restart",
                "printf 'line one\\nline=two: \\\\ é' > \"$KONTROLER_OUTPUTS/text\""),
            "text");
    backend.start(launch, 0);
    PhaseInfo ended = awaitEnd(launch);

    backend.close();
    backend = newBackend();

    PhaseInfo reported = backend.check(AttemptId.of(launch));
    assertThat(reported.phase()).isEqualTo(Phase.Succeeded);
    assertThat(reported.outputs()).isEqualTo(Map.of("text", "line one\nline=two: \\ é"));
    assertThat(reported).isEqualTo(ended);
  }

  private PhaseInfo awaitEnd(LaunchTask launch) {
    AttemptId id = AttemptId.of(launch);
    await().atMost(Duration.ofSeconds(15)).until(() -> backend.check(id).isTerminal());
    return backend.check(id);
  }
}

package io.kontroler.executor.process;

import static io.kontroler.executor.Launches.command;
import static io.kontroler.executor.Launches.script;
import static io.kontroler.executor.Launches.withDeadline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kontroler.core.run.EnvVar;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.executor.Launches;
import io.kontroler.executor.WorkFolders;
import io.kontroler.executor.backend.Adoptable;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.logstore.LocalLogStore;
import io.kontroler.logstore.LogChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessBackendTest {
  @TempDir Path dataDir;
  private Path workDir;

  private LocalLogStore logs;
  private ProcessBackend backend;
  private final Set<AttemptId> changed = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp() throws IOException {
    workDir = WorkFolders.create();
    Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    logs = new LocalLogStore(dataDir.resolve("logs"));
    backend = newBackend();
    backend.onChange(changed::add);
  }

  private ProcessBackend newBackend() {
    SecretSource secrets =
        SecretSource.environment(Map.of("KONTROLER_SECRET_DB_CREDS_PASSWORD", "s3cr3t"));
    return new ProcessBackend(
        ProcessSettings.defaults(dataDir, workDir)
            .withSecrets(secrets)
            .withKillGrace(Duration.ofSeconds(2))
            .withMaxProcesses(3),
        logs);
  }

  @AfterEach
  void tearDown() throws IOException {
    backend.close();
    WorkFolders.delete(workDir);
  }

  @Test
  void aZeroExitSucceedsAndANonZeroExitFailsWithItsCode() {
    LaunchTask ok = command("r1", "ok", "true");
    LaunchTask bad = script("r1", "bad", "exit 3");

    assertThat(backend.start(ok, 0).phase()).isIn(Phase.Running, Phase.Succeeded);
    backend.start(bad, 0);

    PhaseInfo okEnd = awaitEnd(ok);
    PhaseInfo badEnd = awaitEnd(bad);
    assertThat(okEnd.phase()).isEqualTo(Phase.Succeeded);
    assertThat(badEnd.phase()).isEqualTo(Phase.RetryableFailure);
    assertThat(badEnd.failureKind()).isEqualTo(FailureKind.EXITED);
    assertThat(badEnd.exitCode()).isEqualTo(3);
    await().until(() -> changed.containsAll(Set.of(AttemptId.of(ok), AttemptId.of(bad))));
  }

  @Test
  void instancesOfAForEachTaskRunSideBySideWithTheirOwnLogOutputsAndJournal() throws Exception {
    LaunchTask third =
        Launches.withOutputs(
            script("r-each", "process[3]", "echo item 3; echo 3 > \"$KONTROLER_OUTPUTS/n\""), "n");
    LaunchTask twelfth =
        Launches.withOutputs(
            script("r-each", "process[12]", "echo item 12; echo 12 > \"$KONTROLER_OUTPUTS/n\""),
            "n");

    backend.start(third, 0);
    backend.start(twelfth, 1);

    assertThat(awaitEnd(third).outputs()).containsEntry("n", "3");
    assertThat(awaitEnd(twelfth).outputs()).containsEntry("n", "12");
    assertThat(log(third)).endsWith("\nitem 3\n");
    assertThat(log(twelfth)).endsWith("\nitem 12\n");
    assertThat(dataDir.resolve("logs/runs/r-each/process[3]/1.log")).isRegularFile();
    assertThat(dataDir.resolve("logs/runs/r-each/process[12]/1.log")).isRegularFile();
    LaunchTask running = script("r-each", "process[4]", "sleep 30");
    backend.start(running, 2);
    assertThat(backend.adopt(a -> true)).containsExactly(new Adoptable(AttemptId.of(running), 2));
    assertThat(backend.adopt(a -> a.partition() != 2)).isEmpty();
    backend.close(); // no outcome reported: the journal keeps them for the next backend

    backend = newBackend();
    assertThat(ids(backend.adopt(a -> false)))
        .containsExactlyInAnyOrder(
            AttemptId.of(third), AttemptId.of(twelfth), AttemptId.of(running));
    assertThat(backend.check(AttemptId.of(twelfth)).outputs()).containsEntry("n", "12");
  }

  @Test
  void stdoutAndStderrGoToTheLogAfterOneLineAboutTheIgnoredImage() throws Exception {
    LaunchTask launch = script("r2", "talk", "echo out; echo err >&2");
    backend.start(launch, 0);
    awaitEnd(launch);

    assertThat(log(launch))
        .isEqualTo(
            "[kontroler] image 'alpine:3' ignored: the process backend runs the command on this"
                + " host\nout\nerr\n");
    assertThat(logs.read(AttemptId.of(launch).logKey(), 0, 10).complete()).isTrue();
  }

  @Test
  void commandAndArgsRunWithoutAShell() throws Exception {
    LaunchTask launch = command("r3", "printf", "printf", "%s|", "a b", "$HOME", "*");
    backend.start(launch, 0);
    assertThat(awaitEnd(launch).phase()).isEqualTo(Phase.Succeeded);
    assertThat(log(launch)).endsWith("\na b|$HOME|*|");
  }

  @Test
  void parametersAreEnvironmentAndSecretsAreResolvedAtLaunch() throws Exception {
    LaunchTask launch =
        script(
            "r4",
            "env",
            "echo \"$GREETING $PASSWORD\"; env | grep -c '^KONTROLER_SECRET_' || true",
            EnvVar.literal("GREETING", "hello"),
            EnvVar.fromSecret("PASSWORD", "db-creds"));
    backend.start(launch, 0);
    assertThat(awaitEnd(launch).phase()).isEqualTo(Phase.Succeeded);
    assertThat(log(launch)).endsWith("\nhello s3cr3t\n0\n");
  }

  @Test
  void aMissingSecretMeansTheTaskNeverStarts() {
    LaunchTask launch =
        script("r5", "nosecret", "true", EnvVar.fromSecret("TOKEN", "missing-secret"));
    PhaseInfo phase = backend.start(launch, 0);
    assertThat(phase.phase()).isEqualTo(Phase.PermanentFailure);
    assertThat(phase.failureKind()).isEqualTo(FailureKind.NEVER_STARTED);
    assertThat(phase.message()).contains("missing-secret").contains("TOKEN");
  }

  @Test
  void secretsAreReadFromFilesToo() throws Exception {
    Files.createDirectories(dataDir.resolve("secrets/api"));
    Files.writeString(dataDir.resolve("secrets/api/TOKEN"), "from-file");
    ProcessBackend withFiles =
        new ProcessBackend(
            ProcessSettings.defaults(dataDir, workDir)
                .withSecrets(SecretSource.files(dataDir.resolve("secrets"))),
            logs);
    try {
      LaunchTask launch =
          script("r6", "file", "echo \"$TOKEN\"", EnvVar.fromSecret("TOKEN", "api"));
      withFiles.start(launch, 0);
      await().until(() -> withFiles.check(AttemptId.of(launch)).isTerminal());
      assertThat(log(launch)).endsWith("\nfrom-file\n");
    } finally {
      withFiles.close();
    }
  }

  @Test
  void theDeadlineEndsTheAttemptAsTimedOut() {
    LaunchTask launch = withDeadline(script("r7", "slow", "sleep 30"), 1);
    long started = System.nanoTime();
    backend.start(launch, 0);

    PhaseInfo end = awaitEnd(launch);
    assertThat(end.failureKind()).isEqualTo(FailureKind.TIMED_OUT);
    assertThat(end.phase()).isEqualTo(Phase.RetryableFailure);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void killEndsTheWholeProcessTree() {
    LaunchTask launch = script("r8", "tree", "sleep 300 & sleep 301 & sh -c 'sleep 302' & wait");
    backend.start(launch, 0);
    ProcessHandle root = rootOf(launch);
    await().until(() -> root.descendants().count() >= 3);
    List<ProcessHandle> tree = root.descendants().toList();

    backend.kill(AttemptId.of(launch), "cancelled");

    PhaseInfo end = awaitEnd(launch);
    assertThat(end.failureKind()).isEqualTo(FailureKind.KILLED);
    assertThat(end.phase()).isEqualTo(Phase.PermanentFailure);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(root.isAlive()).isFalse();
  }

  @Test
  void aStartBeyondTheProcessLimitIsNotReadyUntilASlotFrees() {
    LaunchTask a = script("r9", "a", "sleep 30");
    LaunchTask b = script("r9", "b", "sleep 30");
    LaunchTask c = script("r9", "c", "sleep 30");
    LaunchTask d = command("r9", "d", "true");
    backend.start(a, 0);
    backend.start(b, 0);
    backend.start(c, 0);

    assertThat(backend.start(d, 0).phase()).isEqualTo(Phase.NotReady);
    assertThat(backend.activeCount()).isEqualTo(3);

    backend.kill(AttemptId.of(a), "make room");
    awaitEnd(a);
    assertThat(backend.start(d, 0).phase()).isIn(Phase.Running, Phase.Succeeded);
    assertThat(awaitEnd(d).phase()).isEqualTo(Phase.Succeeded);
  }

  @Test
  void aSecondStartOfTheSameAttemptAdoptsTheFirst() {
    LaunchTask launch = script("r10", "once", "echo started >> count.txt; sleep 1");
    backend.start(launch, 0);
    backend.start(launch, 0);
    awaitEnd(launch);
    backend.start(launch, 0);
    assertThat(workDir.resolve("r10/count.txt")).hasContent("started");
  }

  @Test
  void eachRunWorksInItsOwnFolderWhichReleaseDeletes() throws Exception {
    LaunchTask launch = script("r11", "pwd", "pwd; touch made-here");
    backend.start(launch, 0);
    awaitEnd(launch);
    Path folder = workDir.resolve("r11");
    assertThat(log(launch)).endsWith("\n" + folder.toRealPath() + "\n");
    assertThat(folder.resolve("made-here")).exists();

    backend.release("team-a/etl", "r11");
    assertThat(folder).doesNotExist();
  }

  @Test
  void aTaskWithoutCommandOrScriptNeverStarts() {
    LaunchTask launch =
        io.kontroler.executor.Launches.launch(
            "r12",
            "entrypoint",
            new io.kontroler.core.run.ContainerSpec("busybox", null, null, null, null, null, null));
    assertThat(backend.start(launch, 0).failureKind()).isEqualTo(FailureKind.NEVER_STARTED);
    assertThat(backend.check(AttemptId.of(launch)).failureKind())
        .isEqualTo(FailureKind.NEVER_STARTED);
  }

  @Test
  void closingStopsWhatRunsAsLostAndTheNextBackendReportsIt() throws Exception {
    LaunchTask launch = script("r13", "long", "echo begun; sleep 300");
    backend.start(launch, 0);
    ProcessHandle root = rootOf(launch, "sleep 300");
    await().until(() -> log(launch).contains("begun"));

    backend.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !root.isAlive());
    backend = newBackend();

    AttemptId id = AttemptId.of(launch);
    assertThat(ids(backend.adopt(a -> true))).containsExactly(id);
    PhaseInfo reported = backend.check(id);
    assertThat(reported.failureKind()).isEqualTo(FailureKind.LOST);
    assertThat(reported.phase()).isEqualTo(Phase.RetryableFailure);
    assertThat(log(launch)).contains("stopped with the executor");

    backend.finish(id);
    assertThat(ids(backend.adopt(a -> true))).isEmpty();
    assertThat(newBackendAdopts()).isEmpty();
  }

  @Test
  void anOutcomeNotYetPublishedIsReportedByTheNextBackend() {
    LaunchTask launch = script("r14", "quick", "exit 4");
    backend.start(launch, 0);
    awaitEnd(launch);

    backend.close();
    backend = newBackend();

    PhaseInfo reported = backend.check(AttemptId.of(launch));
    assertThat(reported.failureKind()).isEqualTo(FailureKind.EXITED);
    assertThat(reported.exitCode()).isEqualTo(4);
    assertThat(backend.start(launch, 0)).isEqualTo(reported); // a launch read again adopts it
  }

  @Test
  void aProcessLeftRunningByACrashedExecutorIsStoppedAndTheAttemptReportedLost() throws Exception {
    Process orphan = new ProcessBuilder("sleep", "300").start();
    AttemptId id = new AttemptId("r15", "team-a/etl", "orphan", 2);
    AttemptId notStarted = new AttemptId("r15", "team-b/other", "waiting", 1);
    try (AttemptJournal crashed = AttemptJournal.open(dataDir.resolve("attempts"))) {
      crashed.running(id, orphan.toHandle());
      crashed.taken(notStarted);
    }

    backend.close();
    backend = newBackend();

    assertThat(orphan.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(ids(backend.adopt(a -> false))).containsExactlyInAnyOrder(id, notStarted);
    assertThat(backend.check(id).failureKind()).isEqualTo(FailureKind.LOST);
    assertThat(backend.check(notStarted).failureKind()).isEqualTo(FailureKind.LOST);
  }

  @Test
  void processesRunInTheirOwnSessionAwayFromTheTerminalsSignals() throws Exception {
    LaunchTask launch = script("r16", "session", "cut -d' ' -f6 /proc/$$/stat /proc/$PPID/stat");
    backend.start(launch, 0);
    awaitEnd(launch);

    String[] sessions = log(launch).lines().skip(1).map(String::trim).toArray(String[]::new);
    assertThat(sessions).hasSize(2);
    assertThat(sessions[0]).isNotEqualTo(sessions[1]);
  }

  @Test
  void aBackendSharingTheDataDirectoryLeavesTheOthersAttemptsAlone() {
    LaunchTask launch = script("r17", "shared", "sleep 300");
    backend.start(launch, 0);
    rootOf(launch, "sleep 300");

    try (ProcessBackend second = newBackend()) {
      assertThat(ids(second.adopt(a -> true))).isEmpty();
    }
    assertThat(backend.check(AttemptId.of(launch)).phase()).isEqualTo(Phase.Running);
  }

  @Test
  void aTaskAsRootRunsAsNobodyAndCanNotReadTheDataDirectory() throws Exception {
    assumeTrue(backend.isolation().separated(), "Kontroler runs as root here");
    Path secret = dataDir.resolve("secrets/db/password");
    Files.createDirectories(secret.getParent());
    Files.writeString(secret, "hunter2");
    LaunchTask launch =
        script(
            "r18",
            "nosy",
            "cat " + secret + "; ls " + dataDir + "; id -un; echo mine > own.txt && cat own.txt");
    backend.start(launch, 0);
    awaitEnd(launch);

    String log = log(launch);
    assertThat(log).doesNotContain("hunter2").doesNotContain("attempts");
    assertThat(log.lines().filter(l -> l.contains("Permission denied"))).hasSize(2);
    assertThat(log).contains("\nnobody\nmine\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
        .isEqualTo("rwx------");
    assertThat(Files.getOwner(workDir.resolve("r18")).getName()).isEqualTo("nobody");
  }

  @Test
  void aTaskSeesOnlyItsOwnVariablesAndAMinimalPathHomeAndLang() throws Exception {
    LaunchTask launch = script("r19", "env", "env", EnvVar.literal("GREETING", "hello"));
    backend.start(launch, 0);
    awaitEnd(launch);

    Map<String, String> seen = new HashMap<>();
    log(launch)
        .lines()
        .filter(l -> l.matches("^[A-Za-z_][A-Za-z0-9_]*=.*"))
        .forEach(l -> seen.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    Path folder = workDir.resolve("r19").toRealPath();
    assertThat(seen.keySet())
        .containsAll(Set.of("PATH", "HOME", "LANG", "KONTROLER_WORKSPACE", "GREETING"))
        .allSatisfy(
            name ->
                assertThat(name)
                    .isIn(
                        "PATH",
                        "HOME",
                        "LANG",
                        "USER",
                        "LOGNAME",
                        "KONTROLER_WORKSPACE",
                        "KONTROLER_OUTPUTS",
                        "GREETING",
                        "PWD",
                        "SHLVL",
                        "OLDPWD",
                        "_"));
    assertThat(System.getenv()).containsKey("PATH"); // the JVM's own variables are many more
    assertThat(seen).containsEntry("GREETING", "hello").containsEntry("HOME", folder.toString());
    assertThat(seen.get("PATH"))
        .isEqualTo("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }

  @Test
  void aTaskWorksAndWritesInAFolderOutsideTheDataDirectory() throws Exception {
    LaunchTask launch = script("r20", "where", "pwd; echo written > out.txt && cat out.txt");
    backend.start(launch, 0);
    assertThat(awaitEnd(launch).phase()).isEqualTo(Phase.Succeeded);

    String[] lines = log(launch).lines().skip(1).toArray(String[]::new);
    Path cwd = Path.of(lines[0]);
    assertThat(cwd).isEqualTo(workDir.resolve("r20").toRealPath());
    assertThat(cwd.startsWith(dataDir.toRealPath())).isFalse();
    assertThat(lines[1]).isEqualTo("written");
  }

  @Test
  void aWorkFolderInsideTheDataDirectoryIsRefusedAtStart() {
    assertThatThrownBy(
            () ->
                new ProcessBackend(
                    ProcessSettings.defaults(dataDir, dataDir.resolve("work")), logs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the data directory");
  }

  private List<AttemptId> newBackendAdopts() {
    try (ProcessBackend next = newBackend()) {
      return ids(next.adopt(a -> true));
    }
  }

  private PhaseInfo awaitEnd(LaunchTask launch) {
    AttemptId id = AttemptId.of(launch);
    await().atMost(Duration.ofSeconds(15)).until(() -> backend.check(id).isTerminal());
    return backend.check(id);
  }

  private String log(LaunchTask launch) throws Exception {
    LogChunk chunk = logs.read(AttemptId.of(launch).logKey(), 0, 1 << 20);
    return chunk.text();
  }

  private ProcessHandle rootOf(LaunchTask launch) {
    return rootOf(launch, "sleep 300");
  }

  /**
   * The attempt's process, once the system shows its command line: a child that was just spawned
   * may not have it yet.
   */
  private ProcessHandle rootOf(LaunchTask launch, String commandPart) {
    AtomicReference<ProcessHandle> root = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Optional<ProcessHandle> found =
                  ProcessHandle.current()
                      .children()
                      .filter(p -> p.info().commandLine().orElse("").contains(commandPart))
                      .findFirst();
              found.ifPresent(root::set);
              return found.isPresent();
            });
    return root.get();
  }

  private static List<AttemptId> ids(List<Adoptable> adopted) {
    return adopted.stream().map(Adoptable::id).toList();
  }
}

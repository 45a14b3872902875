package io.kontroler.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.cli.ExitCode;
import io.kontroler.cli.Main;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPauseChanged;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunPhase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kontroler pause|resume RUN} and {@code kontroler approve|reject RUN TASK} against a real
 * api server (SQLite history), whose commands are recorded instead of published to Kafka and whose
 * DAG submissions are answered at once as the scheduler would.
 */
class HoldCommandsTest {
  private static final String PASSWORD = "hold-admin-password";
  private static final String DAG =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata:
        name: chain
      spec:
        task:
          - name: extract
            image: alpine:3.20
            command: [echo, extract]
          - name: load
            image: alpine:3.20
            command: [echo, load]
            runAfter: [extract]
      """;

  @TempDir Path dir;
  private RecordingApi api;
  private List<Inbound> commands;
  private String url;
  private String token;

  @BeforeEach
  void start() throws Exception {
    api = RecordingApi.start(dir, PASSWORD, DAG);
    commands = api.commands();
    url = api.url();
    token = api.token();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void pauseAndResumeRequestThemForARunningRun() throws Exception {
    String run = runningRun();

    Result paused = kontroler("pause", run);

    assertThat(paused.exit()).as(paused.err()).isZero();
    assertThat(paused.out()).contains("Pause requested for run " + run);
    assertThat(commands)
        .filteredOn(Inbound.PauseRun.class::isInstance)
        .containsExactly(new Inbound.PauseRun("default/chain", run, "admin"));

    api.server()
        .projection()
        .apply(new RunPauseChanged(run, "default/chain", true, "admin", Instant.now()), 2);
    Result resumed = kontroler("resume", run);
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(commands)
        .filteredOn(Inbound.ResumeRun.class::isInstance)
        .containsExactly(new Inbound.ResumeRun("default/chain", run, "admin"));
  }

  @Test
  void pausingAnUnknownRunExitsNotFoundAndResumingAnUnpausedOneIsAConflict() throws Exception {
    String run = runningRun();

    Result noRun = kontroler("pause", "no-such-run");
    Result notPaused = kontroler("resume", run);

    assertThat(noRun.exit()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(noRun.err()).contains("Not found (404)", "no run 'no-such-run'");
    assertThat(notPaused.exit()).isNotZero();
    assertThat(notPaused.err()).contains("Expected a paused run");
    assertThat(commands).noneMatch(Inbound.ResumeRun.class::isInstance);
  }

  @Test
  void approveAndRejectSendTheDecisionWithTheCommentAsTheSignedInUser() throws Exception {
    new ApiClient(URI.create(url), token).postText("/api/v1/dags", RELEASE, "application/yaml");
    String run = waitingRun();

    Result approved = kontroler("approve", run, "sign-off", "--comment", "ship it");
    Result rejected = kontroler("reject", run, "sign-off");

    assertThat(approved.exit()).as(approved.err()).isZero();
    assertThat(approved.out()).contains("Approved task sign-off of run " + run);
    assertThat(rejected.exit()).as(rejected.err()).isZero();
    assertThat(commands)
        .filteredOn(c -> c instanceof Inbound.ApproveTask || c instanceof Inbound.RejectTask)
        .containsExactly(
            new Inbound.ApproveTask(
                "default/release",
                run,
                "sign-off",
                "admin",
                List.of("viewer", "editor", "admin"),
                "ship it"),
            new Inbound.RejectTask(
                "default/release",
                run,
                "sign-off",
                "admin",
                List.of("viewer", "editor", "admin"),
                null));
  }

  @Test
  void approvingATaskThatIsNotAnApprovalTaskPrintsWhyAndFails() throws Exception {
    String run = runningRun();

    Result result = kontroler("approve", run, "extract");

    assertThat(result.exit()).isNotZero();
    assertThat(result.err()).contains("Expected an approval task");
    assertThat(commands).noneMatch(Inbound.ApproveTask.class::isInstance);
  }

  private static final String RELEASE =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata:
        name: release
      spec:
        task:
          - name: sign-off
            approval: {approvers: [admin], timeoutSeconds: 600}
      """;

  private String waitingRun() throws Exception {
    String run =
        new ApiClient(URI.create(url), token)
            .post("/api/v1/runs", Map.of("dagName", "release"))
            .path("id")
            .asText();
    Instant t = Instant.now();
    api.server()
        .projection()
        .apply(
            new RunPhaseChanged(
                run,
                "default/release",
                1,
                null,
                RunPhase.Pending,
                RunPhase.Running,
                new PhaseCounts(1, 0, 0, 0, 0, 0, 0, 0),
                null,
                t),
            11);
    api.server()
        .projection()
        .apply(
            new io.kontroler.core.run.RunCommand.TaskPhaseChanged(
                run,
                "default/release",
                "sign-off",
                1,
                io.kontroler.core.run.TaskPhase.Pending,
                io.kontroler.core.run.TaskPhase.Running,
                null,
                null,
                "waiting",
                t),
            12);
    return run;
  }

  private String runningRun() throws Exception {
    String run =
        new ApiClient(URI.create(url), token)
            .post("/api/v1/runs", Map.of("dagName", "chain"))
            .path("id")
            .asText();
    PhaseCounts none = new PhaseCounts(2, 0, 0, 0, 0, 0, 0, 0);
    api.server()
        .projection()
        .apply(
            new RunPhaseChanged(
                run,
                "default/chain",
                1,
                null,
                RunPhase.Pending,
                RunPhase.Running,
                none,
                null,
                Instant.now()),
            1);
    return run;
  }

  private Result kontroler(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = url;
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
    return new Result(exit, out.toString(), err.toString());
  }

  private record Result(int exit, String out, String err) {}
}

package io.kontroler.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.cli.ExitCode;
import io.kontroler.cli.Main;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.PhaseCounts;
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
 * {@code kontroler rerun RUN TASK} against a real api server (SQLite history), whose commands are
 * recorded instead of published to Kafka and whose DAG submissions are answered at once as the
 * scheduler would.
 */
class RerunCommandTest {
  private static final String PASSWORD = "rerun-admin-password";
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
  void rerunRequestsTheTaskAndItsDownstreamAgainInAFinishedRun() throws Exception {
    String run = succeededRun();

    Result result = kontroler("rerun", run, "extract");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("extract", run);
    assertThat(commands)
        .filteredOn(Inbound.RerunTask.class::isInstance)
        .containsExactly(new Inbound.RerunTask("default/chain", run, "extract"));
  }

  @Test
  void anUnknownTaskOrRunPrintsTheServersMessageAndExitsNotFound() throws Exception {
    String run = succeededRun();

    Result noTask = kontroler("rerun", run, "transform");
    Result noRun = kontroler("rerun", "no-such-run", "extract");

    assertThat(noTask.exit()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(noTask.err()).contains("Not found (404)", "no task 'transform'");
    assertThat(noRun.exit()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(noRun.err()).contains("Not found (404)", "no run 'no-such-run'");
    assertThat(commands).noneMatch(Inbound.RerunTask.class::isInstance);
  }

  private String succeededRun() throws Exception {
    String run =
        new ApiClient(URI.create(url), token)
            .post("/api/v1/runs", Map.of("dagName", "chain"))
            .path("id")
            .asText();
    Instant t = Instant.now();
    PhaseCounts none = new PhaseCounts(2, 0, 0, 0, 0, 0, 0, 0);
    PhaseCounts done = new PhaseCounts(0, 0, 0, 0, 2, 0, 0, 0);
    api.server()
        .projection()
        .apply(
            new RunPhaseChanged(
                run, "default/chain", 1, null, RunPhase.Pending, RunPhase.Running, none, null, t),
            1);
    api.server()
        .projection()
        .apply(
            new RunPhaseChanged(
                run,
                "default/chain",
                1,
                null,
                RunPhase.Running,
                RunPhase.Succeeded,
                done,
                null,
                t.plusSeconds(5)),
            2);
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

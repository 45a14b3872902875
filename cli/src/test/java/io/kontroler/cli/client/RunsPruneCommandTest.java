package io.kontroler.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.ApiConfig;
import io.kontroler.api.ApiServer;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.cli.ExitCode;
import io.kontroler.cli.Main;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunPhase;
import io.kontroler.logstore.LocalLogStore;
import io.kontroler.logstore.LogKey;
import io.kontroler.logstore.LogWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kontroler runs prune --before DATE} against a real api server (SQLite history). */
class RunsPruneCommandTest {
  private static final String PASSWORD = "prune-admin-password";

  @TempDir Path dir;
  private ApiServer server;
  private LocalLogStore logs;
  private String url;
  private String token;
  private long seq;

  @BeforeEach
  void start() throws Exception {
    ApiConfig config =
        ApiConfig.fromFlat(
            Map.of(
                "api.data.dir", dir.toString(),
                "api.port", "0",
                "api.password.iterations", "1000",
                "admin.password", PASSWORD,
                "api.history.retention", "PT0S"));
    Publisher nothing = records -> {};
    logs = new LocalLogStore(dir.resolve("logs"));
    server = new ApiServer(config, new ApiServer.Adapters(nothing, logs, false, Clock.systemUTC()));
    url = "http://localhost:" + server.start();
    token =
        new ApiClient(URI.create(url), null)
            .post("/api/v1/auth/login", Map.of("username", "admin", "password", PASSWORD))
            .path("token")
            .asText();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void deletesTheRunsFinishedBeforeTheDateWithTheirLogs() throws Exception {
    finishedRun("old", Instant.parse("2026-01-10T08:00:00Z"));
    finishedRun("recent", Instant.parse("2026-03-10T08:00:00Z"));

    Result result = kontroler("runs", "prune", "--before", "2026-02-01");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("Deleted 1 runs that finished before 2026-02-01T00:00:00Z");
    assertThat(kontroler("get", "run", "old").exit()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(Files.exists(dir.resolve("logs/runs/old"))).isFalse();
    assertThat(kontroler("get", "run", "recent").exit()).isZero();
    assertThat(logs.attempts("recent")).hasSize(1);
  }

  @Test
  void aDateThatIsNoDateIsRefusedWithTheServersWords() {
    Result result = kontroler("runs", "prune", "--before", "last-week");

    assertThat(result.exit()).isEqualTo(ExitCode.REJECTED.code());
    assertThat(result.err()).contains("Rejected (400)", "before", "last-week");
  }

  private void finishedRun(String id, Instant end) throws Exception {
    PhaseCounts none = new PhaseCounts(1, 0, 0, 0, 0, 0, 0, 0);
    PhaseCounts done = new PhaseCounts(0, 0, 0, 0, 1, 0, 0, 0);
    for (RunPhaseChanged event :
        List.of(
            new RunPhaseChanged(
                id,
                "default/chain",
                1,
                null,
                RunPhase.Pending,
                RunPhase.Running,
                none,
                null,
                end.minus(Duration.ofMinutes(1))),
            new RunPhaseChanged(
                id,
                "default/chain",
                1,
                null,
                RunPhase.Running,
                RunPhase.Succeeded,
                done,
                null,
                end))) {
      server.projection().apply(event, ++seq);
    }
    try (LogWriter writer = logs.open(new LogKey(id, "extract", 1))) {
      writer.line(id);
    }
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

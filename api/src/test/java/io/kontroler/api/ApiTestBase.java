package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.auth.Role;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import io.kontroler.logstore.LocalLogStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real api server on port 0, on one of the history databases, with a recording publisher in place
 * of Kafka and a local log store; run events are fed to its projection directly, and DAG
 * submissions are answered by a {@link FakeScheduler} through its catalog projection.
 */
abstract class ApiTestBase {
  static final String ADMIN_PASSWORD = "admin-password-1";
  static final String DIAMOND_KEY = "default/diamond";

  final Db db;
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final RecordingPublisher publisher = new RecordingPublisher();
  final FakeScheduler scheduler = new FakeScheduler();
  final AtomicLong seq = new AtomicLong();
  LocalLogStore logs;
  ApiServer server;
  Http http;
  String admin;

  ApiTestBase(Db db) {
    this.db = db;
  }

  ApiConfig config() {
    return ApiConfig.fromFlat(
        Map.ofEntries(
            Map.entry("api.data.dir", dir.toString()),
            Map.entry("api.port", "0"),
            Map.entry("api.db.url", db.newUrl(dir)),
            Map.entry("api.max.body.bytes", String.valueOf(64 * 1024)),
            Map.entry("api.password.iterations", "1000"),
            Map.entry("admin.password", ADMIN_PASSWORD),
            Map.entry("api.webhook.max.attempts", "3"),
            Map.entry("api.webhook.backoff", "PT0.05S"),
            Map.entry("api.webhook.timeout", "PT5S"),
            // the receivers of these tests listen on loopback
            Map.entry("api.webhooks.allow-hosts", "localhost,127.0.0.0/8,::1"),
            Map.entry("api.submission.timeout", "PT5S")));
  }

  @BeforeEach
  void startServer() {
    logs = new LocalLogStore(dir.resolve("logs"));
    server = new ApiServer(config(), new ApiServer.Adapters(publisher, logs, false, clock));
    http = new Http(server.start());
    publisher.answerWith(scheduler, server.catalog()::apply);
    admin = http.login("admin", ADMIN_PASSWORD);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** Creates a user with {@code role} (named after it) and returns their token. */
  String tokenFor(Role role) {
    String name = "user-" + role.name();
    http.post(
        "/api/v1/users",
        admin,
        "{\"username\":\""
            + name
            + "\",\"password\":\"password-"
            + role
            + "\",\"role\":\""
            + role
            + "\"}");
    return http.login(name, "password-" + role);
  }

  JsonNode applyOk(String yaml) {
    HttpResponse<String> r = http.post("/api/v1/dags", admin, yaml, "application/yaml");
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    return Http.json(r);
  }

  String startRun(String dagName, String parametersJson) {
    HttpResponse<String> r =
        http.post(
            "/api/v1/runs",
            admin,
            "{\"dagName\":\"" + dagName + "\",\"parameters\":" + parametersJson + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Http.json(r).get("id").asText();
  }

  Inbound.RunRequested lastRequest() {
    List<Inbound.RunRequested> all = publisher.commandsOf(Inbound.RunRequested.class);
    return all.get(all.size() - 1);
  }

  void feed(List<Notification> events) {
    events.forEach(e -> server.projection().apply(e, seq.incrementAndGet()));
  }

  /** What the scheduler reports for a diamond run that succeeds: a; b and c; d. */
  static List<Notification> diamondSucceeds(String runId, Instant t0) {
    List<Notification> out = new ArrayList<>();
    PhaseCounts counts = new PhaseCounts(4, 0, 0, 0, 0, 0, 0, 0);
    out.add(run(runId, RunPhase.Pending, RunPhase.Running, counts, t0));
    out.addAll(taskSucceeds(runId, "a", t0.plusSeconds(1)));
    out.addAll(taskSucceeds(runId, "b", t0.plusSeconds(5)));
    out.addAll(taskSucceeds(runId, "c", t0.plusSeconds(6)));
    out.addAll(taskSucceeds(runId, "d", t0.plusSeconds(10)));
    out.add(
        run(
            runId,
            RunPhase.Running,
            RunPhase.Succeeded,
            new PhaseCounts(0, 0, 0, 0, 4, 0, 0, 0),
            t0.plusSeconds(14)));
    return out;
  }

  static List<Notification> taskSucceeds(String runId, String task, Instant at) {
    return List.of(
        task(runId, task, 1, TaskPhase.Pending, TaskPhase.Queued, null, at),
        task(runId, task, 1, TaskPhase.Queued, TaskPhase.Running, null, at.plusSeconds(1)),
        task(runId, task, 1, TaskPhase.Running, TaskPhase.Succeeded, 0, at.plusSeconds(3)));
  }

  static TaskPhaseChanged task(
      String runId,
      String task,
      int attempt,
      TaskPhase from,
      TaskPhase to,
      Integer exit,
      Instant at) {
    return new TaskPhaseChanged(runId, DIAMOND_KEY, task, attempt, from, to, exit, null, null, at);
  }

  static RunPhaseChanged run(
      String runId, RunPhase from, RunPhase to, PhaseCounts counts, Instant at) {
    return new RunPhaseChanged(runId, DIAMOND_KEY, 1, null, from, to, counts, null, at);
  }
}

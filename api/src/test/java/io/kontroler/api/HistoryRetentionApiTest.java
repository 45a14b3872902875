package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.auth.Role;
import io.kontroler.api.db.Database;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunPhase;
import io.kontroler.logstore.LogKey;
import io.kontroler.logstore.LogWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * History retention through a real server: the pruning loop and {@code POST /admin/prune} delete
 * old finished runs with their tasks, attempts, webhook deliveries and log files, and nothing else.
 */
@ParameterizedClass
@EnumSource(Db.class)
class HistoryRetentionApiTest extends ApiTestBase {
  private String jdbcUrl;

  HistoryRetentionApiTest(Db db) {
    super(db);
  }

  @Override
  ApiConfig config() {
    ApiConfig config =
        super.config()
            .with(
                Map.of(
                    "api.history.retention", "P1D",
                    "api.history.prune.interval", "PT1H",
                    "api.history.prune.batch", "2"));
    jdbcUrl = config.jdbcUrl();
    return config;
  }

  @Test
  void theLoopDeletesRunsPastTheRetentionWithTheirDeliveriesAndLogs() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.http(0)) {
      applyOk(Samples.diamond("diamond", receiver.url("http")));
      receiver.secret =
          Http.json(http.get("/api/v1/dags/default/diamond/webhook-secret", admin))
              .get("secret")
              .asText();
      List<String> old = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String id = startRun("diamond", "{}");
        old.add(id);
        feed(diamondSucceeds(id, clock.instant()));
        log(id);
      }
      String stillRunning = startRun("diamond", "{}");
      feed(List.of(running(stillRunning, clock.instant())));
      log(stillRunning);
      await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received.size() == 5 * 14 + 1);
      assertThat(rows("webhook_deliveries", old.get(0))).isEqualTo(14);

      String recent = startRun("diamond", "{}");
      feed(diamondSucceeds(recent, clock.instant().plus(Duration.ofDays(2))));
      log(recent);

      clock.advance(Duration.ofDays(2));
      admin = http.login("admin", ADMIN_PASSWORD); // the session before the jump has expired

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(prunedTotal()).isEqualTo(5.0));
      for (String id : old) {
        assertThat(http.get("/api/v1/runs/" + id, admin).statusCode()).isEqualTo(404);
        for (String table : List.of("tasks", "task_attempts", "webhook_deliveries")) {
          assertThat(rows(table, id)).as("%s of %s", table, id).isZero();
        }
        assertThat(Files.exists(dir.resolve("logs/runs/" + id))).isFalse();
      }
      for (String kept : List.of(recent, stillRunning)) {
        assertThat(http.get("/api/v1/runs/" + kept, admin).statusCode()).isEqualTo(200);
        assertThat(logs.read(new LogKey(kept, "a", 1), 0, 100).text()).isEqualTo(kept + "\n");
      }
      assertThat(rows("task_attempts", recent)).isEqualTo(4);
      assertThat(rows("webhook_deliveries", stillRunning)).isEqualTo(1);
    }
  }

  @Test
  void anAdminPrunesOnDemandAndViewersAndEditorsMayNot() throws Exception {
    Instant t0 = clock.instant();
    applyOk(Samples.diamond("diamond", null));
    String old = startRun("diamond", "{}");
    feed(diamondSucceeds(old, t0));
    log(old);
    String oldRunning = startRun("diamond", "{}");
    feed(List.of(running(oldRunning, t0)));
    log(oldRunning);
    String recent = startRun("diamond", "{}");
    feed(diamondSucceeds(recent, t0.plus(Duration.ofHours(2))));
    log(recent);
    String body = "{\"before\":\"" + t0.plus(Duration.ofHours(1)) + "\"}";

    for (Role role : List.of(Role.viewer, Role.editor)) {
      HttpResponse<String> refused = http.post("/api/v1/admin/prune", tokenFor(role), body);
      assertThat(refused.statusCode()).as(role.name()).isEqualTo(403);
    }
    assertThat(rows("runs", old)).isEqualTo(1);

    HttpResponse<String> pruned = http.post("/api/v1/admin/prune", admin, body);
    assertThat(pruned.statusCode()).as(pruned.body()).isEqualTo(200);
    JsonNode answer = Http.json(pruned);
    assertThat(answer.get("deleted").asInt()).isEqualTo(1);
    assertThat(rows("runs", old)).isZero();
    assertThat(rows("task_attempts", old)).isZero();
    assertThat(Files.exists(dir.resolve("logs/runs/" + old))).isFalse();
    assertThat(rows("runs", oldRunning)).isEqualTo(1);
    assertThat(rows("runs", recent)).isEqualTo(1);
    assertThat(Files.exists(dir.resolve("logs/runs/" + recent))).isTrue();

    HttpResponse<String> bad = http.post("/api/v1/admin/prune", admin, "{\"before\":\"soon\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("before");
  }

  private static io.kontroler.core.run.RunCommand.RunPhaseChanged running(String id, Instant at) {
    return run(id, RunPhase.Pending, RunPhase.Running, new PhaseCounts(4, 0, 0, 0, 0, 0, 0, 0), at);
  }

  private void log(String runId) throws Exception {
    try (LogWriter writer = logs.open(new LogKey(runId, "a", 1))) {
      writer.line(runId);
    }
  }

  private double prunedTotal() {
    String metrics = http.get("/metrics", admin).body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("kontroler_history_pruned_runs_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }

  /** Rows of {@code table} for {@code runId}, read from the server's database. */
  private long rows(String table, String runId) {
    String column = table.equals("runs") ? "id" : "run_id";
    try (Database read = Database.open(jdbcUrl, null, null)) {
      return read.read(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?")) {
              ps.setString(1, runId);
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
              }
            }
          });
    }
  }
}

package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import io.kontroler.core.validate.Problem;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Db.class)
class RunApiTest extends ApiTestBase {

  RunApiTest(Db db) {
    super(db);
  }

  @BeforeEach
  void diamond() {
    applyOk(Samples.diamond("diamond"));
  }

  @Test
  void postRunPublishesARequestAndAnswersItsDeterministicId() {
    String id = startRun("diamond", "{\"greeting\":\"hi\",\"token\":{\"fromSecret\":\"other\"}}");
    Inbound.RunRequested request = lastRequest();
    assertThat(request.dag()).isEqualTo(DIAMOND_KEY);
    assertThat(id).isEqualTo(RunIds.forRequest(DIAMOND_KEY, request.idempotencyKey()));
    assertThat(request.parameters())
        .containsEntry("greeting", new ParameterValue.Literal("hi"))
        .containsEntry("token", new ParameterValue.FromSecret("other"));

    JsonNode run = Http.json(http.get("/api/v1/runs/" + id, admin));
    assertThat(run.get("phase").asText()).isEqualTo("Pending");
    assertThat(run.get("dagName").asText()).isEqualTo("diamond");
    assertThat(run.get("parameters").get("greeting").asText()).isEqualTo("hi");
    assertThat(run.get("parameters").get("token").asText()).isEqualTo("secret:other");
    assertThat(run.get("tasks")).hasSize(4);
    run.get("tasks").forEach(t -> assertThat(t.get("phase").asText()).isEqualTo("Pending"));

    String second = startRun("default/diamond", "{}");
    assertThat(second).isNotEqualTo(id);
    JsonNode defaults = Http.json(http.get("/api/v1/runs/" + second, admin));
    assertThat(defaults.get("parameters").get("token").asText()).isEqualTo("secret:api-token");
  }

  @Test
  void badRunRequestsAre400Or404() {
    HttpResponse<String> unknownDag =
        http.post("/api/v1/runs", admin, "{\"dagName\":\"nope\",\"parameters\":{}}");
    assertThat(unknownDag.statusCode()).isEqualTo(404);
    HttpResponse<String> undeclared =
        http.post(
            "/api/v1/runs", admin, "{\"dagName\":\"diamond\",\"parameters\":{\"nope\":\"x\"}}");
    assertThat(undeclared.statusCode()).isEqualTo(400);
    assertThat(Http.json(undeclared).get("errors").get(0).get("path").asText())
        .isEqualTo("parameters[nope]");
    HttpResponse<String> malformed =
        http.post("/api/v1/runs", admin, "{\n  \"dagName\": diamond\n}");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(Http.json(malformed).get("errors").get(0).get("path").asText())
        .startsWith("line 2, column");
    assertThat(http.get("/api/v1/runs/not-a-run", admin).statusCode()).isEqualTo(404);
    assertThat(http.post("/api/v1/runs/not-a-run/cancel", admin, "").statusCode()).isEqualTo(404);
    assertThat(publisher.commandsOf(Inbound.RunRequested.class)).isEmpty();
  }

  @Test
  void aDiamondRunReportedByTheSchedulerShowsOrderAndTimes() {
    String id = startRun("diamond", "{}");
    Instant t0 = clock.instant();
    feed(diamondSucceeds(id, t0));

    JsonNode run = Http.json(http.get("/api/v1/runs/" + id, admin));
    assertThat(run.get("phase").asText()).isEqualTo("Succeeded");
    assertThat(Instant.parse(run.get("startedAt").asText())).isEqualTo(t0);
    assertThat(Instant.parse(run.get("finishedAt").asText())).isEqualTo(t0.plusSeconds(14));
    assertThat(run.get("counts").get("succeeded").asInt()).isEqualTo(4);
    Map<String, JsonNode> tasks = new HashMap<>();
    run.get("tasks").forEach(t -> tasks.put(t.get("name").asText(), t));
    assertThat(tasks.keySet()).containsExactlyInAnyOrder("a", "b", "c", "d");
    tasks.values().forEach(t -> assertThat(t.get("phase").asText()).isEqualTo("Succeeded"));
    assertThat(tasks.get("d").get("attempts").asInt()).isEqualTo(1);
    assertThat(tasks.get("d").get("exitCode").asInt()).isZero();
    Instant dStart = Instant.parse(tasks.get("d").get("startedAt").asText());
    assertThat(dStart).isAfter(Instant.parse(tasks.get("b").get("finishedAt").asText()));
    assertThat(dStart).isAfter(Instant.parse(tasks.get("c").get("finishedAt").asText()));
    assertThat(Instant.parse(tasks.get("b").get("startedAt").asText()))
        .isAfter(Instant.parse(tasks.get("a").get("finishedAt").asText()));

    JsonNode attempts = Http.json(http.get("/api/v1/runs/" + id + "/tasks/a/attempts", admin));
    assertThat(attempts.get("items")).hasSize(1);
    JsonNode a1 = attempts.get("items").get(0);
    assertThat(a1.get("phase").asText()).isEqualTo("Succeeded");
    assertThat(Instant.parse(a1.get("queuedAt").asText())).isEqualTo(t0.plusSeconds(1));
    assertThat(Instant.parse(a1.get("startedAt").asText())).isEqualTo(t0.plusSeconds(2));
  }

  @Test
  void retriesKeepEveryAttemptAndFailuresSkipDownstream() {
    String id = startRun("diamond", "{}");
    Instant t = clock.instant();
    feed(
        List.of(
            run(id, RunPhase.Pending, RunPhase.Running, new PhaseCounts(4, 0, 0, 0, 0, 0, 0, 0), t),
            task(id, "a", 1, TaskPhase.Pending, TaskPhase.Queued, null, t),
            task(id, "a", 1, TaskPhase.Queued, TaskPhase.Running, null, t.plusSeconds(1)),
            new RunCommand.TaskPhaseChanged(
                id,
                DIAMOND_KEY,
                "a",
                1,
                TaskPhase.Running,
                TaskPhase.Retrying,
                3,
                FailureKind.EXITED,
                "exit 3",
                t.plusSeconds(2)),
            task(id, "a", 2, TaskPhase.Retrying, TaskPhase.Queued, null, t.plusSeconds(3)),
            task(id, "a", 2, TaskPhase.Queued, TaskPhase.Running, null, t.plusSeconds(4)),
            new RunCommand.TaskPhaseChanged(
                id,
                DIAMOND_KEY,
                "a",
                2,
                TaskPhase.Running,
                TaskPhase.Failed,
                1,
                FailureKind.EXITED,
                "exit 1",
                t.plusSeconds(5)),
            task(id, "b", 0, TaskPhase.Pending, TaskPhase.Skipped, null, t.plusSeconds(5)),
            task(id, "c", 0, TaskPhase.Pending, TaskPhase.Skipped, null, t.plusSeconds(5)),
            task(id, "d", 0, TaskPhase.Pending, TaskPhase.Skipped, null, t.plusSeconds(5)),
            run(
                id,
                RunPhase.Running,
                RunPhase.Failed,
                new PhaseCounts(0, 0, 0, 0, 0, 1, 3, 0),
                t.plusSeconds(5))));

    JsonNode run = Http.json(http.get("/api/v1/runs/" + id, admin));
    assertThat(run.get("phase").asText()).isEqualTo("Failed");
    JsonNode a = run.get("tasks").get(0);
    assertThat(a.get("phase").asText()).isEqualTo("Failed");
    assertThat(a.get("attempts").asInt()).isEqualTo(2);
    assertThat(a.get("exitCode").asInt()).isEqualTo(1);
    assertThat(run.get("tasks").get(3).get("phase").asText()).isEqualTo("Skipped");
    JsonNode attempts =
        Http.json(http.get("/api/v1/runs/" + id + "/tasks/a/attempts", admin)).get("items");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("phase").asText()).isEqualTo("Failed");
    assertThat(attempts.get(0).get("exitCode").asInt()).isEqualTo(3);
    assertThat(attempts.get(1).get("exitCode").asInt()).isEqualTo(1);

    assertThat(http.post("/api/v1/runs/" + id + "/cancel", admin, "").statusCode()).isEqualTo(409);
    assertThat(http.post("/api/v1/runs/" + id + "/retry", admin, "").statusCode()).isEqualTo(202);
    assertThat(publisher.commandsOf(Inbound.RetryRun.class))
        .containsExactly(new Inbound.RetryRun(DIAMOND_KEY, id));

    clock.advance(java.time.Duration.ofDays(8)); // past the scheduler's retention of finished runs
    String fresh = http.login("admin", ADMIN_PASSWORD);
    HttpResponse<String> late = http.post("/api/v1/runs/" + id + "/retry", fresh, "");
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(late.body()).contains("scheduler.finished.run.retention.ms", "start a new run");
    assertThat(publisher.commandsOf(Inbound.RetryRun.class)).hasSize(1);
  }

  @Test
  void eachTaskShowsItsOutputsAndTheMessageOfWhyItWasSkipped() {
    String id = startRun("diamond", "{}");
    Instant t = clock.instant();
    feed(
        List.of(
            run(id, RunPhase.Pending, RunPhase.Running, new PhaseCounts(4, 0, 0, 0, 0, 0, 0, 0), t),
            task(id, "a", 1, TaskPhase.Pending, TaskPhase.Queued, null, t),
            task(id, "a", 1, TaskPhase.Queued, TaskPhase.Running, null, t.plusSeconds(1)),
            new RunCommand.TaskPhaseChanged(
                id,
                DIAMOND_KEY,
                "a",
                1,
                TaskPhase.Running,
                TaskPhase.Succeeded,
                0,
                null,
                null,
                t.plusSeconds(2),
                Map.of("count", "3", "items", "[\"x\",\"y\"]", "empty", "")),
            skipped(id, "b", "condition false: tasks.a.outputs.count == '0'", t.plusSeconds(3)),
            skipped(id, "c", "condition false: params.env == 'prod'", t.plusSeconds(3)),
            skipped(
                id,
                "d",
                "trigger rule allSucceeded not met: b was Skipped, c was Skipped",
                t.plusSeconds(3))));

    JsonNode run = Http.json(http.get("/api/v1/runs/" + id, admin));
    Map<String, JsonNode> tasks = new HashMap<>();
    run.get("tasks").forEach(task -> tasks.put(task.get("name").asText(), task));
    JsonNode a = tasks.get("a");
    assertThat(a.get("outputs").size()).isEqualTo(3);
    assertThat(a.get("outputs").get("count").asText()).isEqualTo("3");
    assertThat(a.get("outputs").get("items").asText()).isEqualTo("[\"x\",\"y\"]");
    assertThat(a.get("outputs").get("empty").asText()).isEmpty();
    assertThat(tasks.get("b").get("outputs").isObject()).isTrue();
    assertThat(tasks.get("b").get("outputs").size()).isZero();
    assertThat(tasks.get("b").get("phase").asText()).isEqualTo("Skipped");
    assertThat(tasks.get("b").get("message").asText())
        .isEqualTo("condition false: tasks.a.outputs.count == '0'");
    assertThat(tasks.get("d").get("message").asText())
        .isEqualTo("trigger rule allSucceeded not met: b was Skipped, c was Skipped");
  }

  private static RunCommand.TaskPhaseChanged skipped(
      String runId, String task, String why, Instant at) {
    return new RunCommand.TaskPhaseChanged(
        runId, DIAMOND_KEY, task, 0, TaskPhase.Pending, TaskPhase.Skipped, null, null, why, at);
  }

  @Test
  void cancelPublishesACancelForARunInProgress() {
    String id = startRun("diamond", "{}");
    assertThat(http.post("/api/v1/runs/" + id + "/retry", admin, "").statusCode()).isEqualTo(409);
    assertThat(http.post("/api/v1/runs/" + id + "/cancel", admin, "").statusCode()).isEqualTo(202);
    Inbound.CancelRun cancel = publisher.commandsOf(Inbound.CancelRun.class).get(0);
    assertThat(cancel.runId()).isEqualTo(id);
    assertThat(cancel.reason()).contains("admin");
  }

  @Test
  void aRejectedRunIsFailedWithTheReason() {
    String id = startRun("diamond", "{}");
    feed(
        List.of(
            new RunCommand.RunRejected(
                id,
                DIAMOND_KEY,
                null,
                List.of(new Problem("dag", "DAG is gone")),
                clock.instant())));
    JsonNode run = Http.json(http.get("/api/v1/runs/" + id, admin));
    assertThat(run.get("phase").asText()).isEqualTo("Failed");
    assertThat(run.get("message").asText()).contains("DAG is gone");
  }

  @Test
  void runsListNewestFirstWithFiltersAndCursor() {
    applyOk(Samples.diamond("other"));
    String r1 = startRun("diamond", "{}");
    clock.advance(java.time.Duration.ofSeconds(1));
    String r2 = startRun("other", "{}");
    clock.advance(java.time.Duration.ofSeconds(1));
    String r3 = startRun("diamond", "{}");
    feed(diamondSucceeds(r1, clock.instant()));

    JsonNode page1 = Http.json(http.get("/api/v1/runs?limit=2", admin));
    assertThat(page1.get("items")).extracting(n -> n.get("id").asText()).containsExactly(r3, r2);
    String cursor = page1.get("nextCursor").asText();
    JsonNode page2 = Http.json(http.get("/api/v1/runs?limit=2&cursor=" + cursor, admin));
    assertThat(page2.get("items")).extracting(n -> n.get("id").asText()).containsExactly(r1);
    assertThat(page2.has("nextCursor")).isFalse();

    JsonNode ofDiamond = Http.json(http.get("/api/v1/runs?dag=diamond", admin));
    assertThat(ofDiamond.get("items"))
        .extracting(n -> n.get("id").asText())
        .containsExactly(r3, r1);
    JsonNode succeeded = Http.json(http.get("/api/v1/runs?phase=Succeeded", admin));
    assertThat(succeeded.get("items")).extracting(n -> n.get("id").asText()).containsExactly(r1);
    assertThat(http.get("/api/v1/runs?phase=Bogus", admin).statusCode()).isEqualTo(400);
    assertThat(http.get("/api/v1/runs?cursor=bm90LWEtY3Vyc29y", admin).statusCode()).isEqualTo(400);
  }

  @Test
  void replayingEveryEventChangesNothing() {
    String id = startRun("diamond", "{}");
    List<RunCommand.Notification> events = diamondSucceeds(id, clock.instant());
    List<Long> positions = new java.util.ArrayList<>();
    for (RunCommand.Notification e : events) {
      long at = seq.incrementAndGet();
      positions.add(at);
      assertThat(server.projection().apply(e, at)).isTrue();
    }
    String before = http.get("/api/v1/runs/" + id, admin).body();
    String attemptsBefore = http.get("/api/v1/runs/" + id + "/tasks/d/attempts", admin).body();
    for (int i = 0; i < events.size(); i++) {
      assertThat(server.projection().apply(events.get(i), positions.get(i))).isFalse();
    }
    assertThat(http.get("/api/v1/runs/" + id, admin).body()).isEqualTo(before);
    assertThat(http.get("/api/v1/runs/" + id + "/tasks/d/attempts", admin).body())
        .isEqualTo(attemptsBefore);
    String metrics = http.get("/metrics", admin).body();
    assertThat(metrics).contains("kontroler_runs_started_total 1.0");
  }

  @Test
  void statsAndMetricsCountWhatHappened() {
    String ok = startRun("diamond", "{}");
    feed(diamondSucceeds(ok, clock.instant()));
    startRun("diamond", "{}");

    JsonNode stats = Http.json(http.get("/api/v1/stats", admin));
    assertThat(stats.get("runsByPhase").get("Succeeded").asInt()).isEqualTo(1);
    assertThat(stats.get("runsByPhase").get("Pending").asInt()).isEqualTo(1);
    assertThat(stats.get("activeRuns").asInt()).isEqualTo(1);
    assertThat(stats.get("runsByDay")).hasSize(30);
    JsonNode outcome = stats.get("taskOutcomes").get(0);
    assertThat(outcome.get("phase").asText()).isEqualTo("Succeeded");
    assertThat(outcome.get("count").asInt()).isEqualTo(4);

    HttpResponse<String> metrics = http.get("/metrics", admin);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("kontroler_runs_started_total 1.0")
        .contains("kontroler_runs_finished_total{phase=\"Succeeded\"} 1.0")
        .contains("kontroler_task_outcomes_total{kind=\"none\",outcome=\"succeeded\"} 4.0")
        .contains("kontroler_task_queue_to_start_seconds_count 4")
        .contains("kontroler_event_hop_seconds_bucket");
  }
}

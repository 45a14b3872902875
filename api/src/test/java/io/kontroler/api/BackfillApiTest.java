package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.auth.Role;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.RunCommand.BackfillProgress;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Backfills over REST: who may ask for and cancel one, what is published, what is shown. */
@ParameterizedClass
@EnumSource(Db.class)
class BackfillApiTest extends ApiTestBase {
  private static final String DAILY = "default/daily";
  private static final String BODY =
      "{\"from\":\"2026-10-01T00:00:00Z\",\"to\":\"2026-10-30T00:00:00Z\",\"maxActive\":3}";

  BackfillApiTest(Db db) {
    super(db);
  }

  @BeforeEach
  void dags() {
    applyOk(
        """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: daily}
        spec:
          schedule: "0 0 * * *"
          task:
            - {name: report, image: alpine:3.20, command: [echo, "{{ run.logicalDate }}"]}
        """);
    applyOk(Samples.diamond("diamond"));
  }

  @Test
  void anEditorAsksForABackfillWhichPublishesBackfillRequestedAndAnswers202() {
    HttpResponse<String> r =
        http.post("/api/v1/dags/default/daily/backfill", tokenFor(Role.editor), BODY);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    String id = Http.json(r).get("backfillId").asText();
    assertThat(publisher.commandsOf(Inbound.BackfillRequested.class))
        .containsExactly(
            new Inbound.BackfillRequested(
                DAILY,
                id,
                Instant.parse("2026-10-01T00:00:00Z"),
                Instant.parse("2026-10-30T00:00:00Z"),
                3,
                clock.instant()));
    JsonNode listed = backfills();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("id").asText()).isEqualTo(id);
    assertThat(listed.get(0).get("requestedBy").asText()).isEqualTo("user-editor");
  }

  @Test
  void progressFromTheSchedulerIsShownAndAReplayDoesNotGoBack() {
    String id =
        Http.json(http.post("/api/v1/dags/default/daily/backfill", admin, BODY))
            .get("backfillId")
            .asText();
    Instant t = clock.instant();

    server.projection().apply(progress(id, 9, 3, 18, t), 10);
    server.projection().apply(progress(id, 3, 3, 24, t), 5);

    JsonNode shown = backfills().get(0);
    assertThat(shown.get("total").asInt()).isEqualTo(30);
    assertThat(shown.get("done").asInt()).isEqualTo(9);
    assertThat(shown.get("running").asInt()).isEqualTo(3);
    assertThat(shown.get("waiting").asInt()).isEqualTo(18);
    assertThat(shown.get("requestedBy").asText()).isEqualTo("admin");
  }

  @Test
  void aViewerMayListButNotStartOrCancelOne() {
    String viewer = tokenFor(Role.viewer);

    assertThat(http.post("/api/v1/dags/default/daily/backfill", viewer, BODY).statusCode())
        .isEqualTo(403);
    assertThat(http.post("/api/v1/dags/default/daily/backfill", null, BODY).statusCode())
        .isEqualTo(401);
    assertThat(http.get("/api/v1/dags/default/daily/backfills", viewer).statusCode())
        .isEqualTo(200);
    String id =
        Http.json(http.post("/api/v1/dags/default/daily/backfill", admin, BODY))
            .get("backfillId")
            .asText();
    assertThat(http.post("/api/v1/backfills/" + id + "/cancel", viewer, "").statusCode())
        .isEqualTo(403);
    assertThat(publisher.commandsOf(Inbound.CancelBackfill.class)).isEmpty();
  }

  @Test
  void anEditorCancelsABackfillInProgressButNotAFinishedOne() {
    String editor = tokenFor(Role.editor);
    String id =
        Http.json(http.post("/api/v1/dags/default/daily/backfill", editor, BODY))
            .get("backfillId")
            .asText();

    HttpResponse<String> r = http.post("/api/v1/backfills/" + id + "/cancel", editor, "");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(publisher.commandsOf(Inbound.CancelBackfill.class))
        .containsExactly(new Inbound.CancelBackfill(DAILY, id, "cancelled by user-editor"));
    server.projection().apply(progress(id, 30, 0, 0, clock.instant()), 20);
    assertThat(http.post("/api/v1/backfills/" + id + "/cancel", editor, "").statusCode())
        .isEqualTo(409);
    assertThat(http.post("/api/v1/backfills/nope/cancel", editor, "").statusCode()).isEqualTo(404);
  }

  @Test
  void badRangesUnscheduledAndUnknownDagsAreRefused() {
    HttpResponse<String> backwards =
        http.post(
            "/api/v1/dags/default/daily/backfill",
            admin,
            "{\"from\":\"2026-10-30T00:00:00Z\",\"to\":\"2026-10-01T00:00:00Z\",\"maxActive\":0}");
    assertThat(backwards.statusCode()).isEqualTo(400);
    assertThat(backwards.body()).contains("maxActive").contains("expected to >= from");
    HttpResponse<String> noDate =
        http.post("/api/v1/dags/default/daily/backfill", admin, "{\"from\":\"yesterday\"}");
    assertThat(noDate.statusCode()).isEqualTo(400);
    assertThat(noDate.body()).contains("ISO-8601");
    HttpResponse<String> unscheduled =
        http.post("/api/v1/dags/default/diamond/backfill", admin, BODY);
    assertThat(unscheduled.statusCode()).isEqualTo(400);
    assertThat(unscheduled.body()).contains("has none");
    assertThat(http.post("/api/v1/dags/default/nope/backfill", admin, BODY).statusCode())
        .isEqualTo(404);
    assertThat(publisher.commandsOf(Inbound.BackfillRequested.class)).isEmpty();
  }

  private JsonNode backfills() {
    HttpResponse<String> r = http.get("/api/v1/dags/default/daily/backfills", admin);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Http.json(r).get("items");
  }

  private static BackfillProgress progress(
      String id, int done, int running, int waiting, Instant at) {
    return new BackfillProgress(
        DAILY,
        id,
        Instant.parse("2026-10-01T00:00:00Z"),
        Instant.parse("2026-10-30T00:00:00Z"),
        3,
        30,
        done,
        running,
        waiting,
        false,
        null,
        at);
  }
}

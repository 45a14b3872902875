package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.auth.Role;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskApprovalRecorded;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code POST /api/v1/runs/{id}/tasks/{task}/approve|reject}: only approvers, only for a waiting
 * approval task; the decision is kept in the history and shown on the task.
 */
@ParameterizedClass
@EnumSource(Db.class)
class ApprovalApiTest extends ApiTestBase {
  private static final String KEY = "default/release";
  private static final String RELEASE =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata:
        name: release
      spec:
        task:
          - name: sign-off
            approval:
              approvers: [editor, user-viewer-boss]
              timeoutSeconds: 3600
          - name: deploy
            image: alpine:3.20
            command: [echo, deploy]
            runAfter: [sign-off]
      """;

  ApprovalApiTest(Db db) {
    super(db);
  }

  @BeforeEach
  void release() {
    applyOk(RELEASE);
  }

  private String waitingRun() {
    String id = startRun("release", "{}");
    Instant t0 = clock.instant();
    feed(
        List.of(
            new RunPhaseChanged(
                id,
                KEY,
                1,
                null,
                RunPhase.Pending,
                RunPhase.Running,
                new PhaseCounts(2, 0, 0, 0, 0, 0, 0, 0),
                null,
                t0),
            new TaskPhaseChanged(
                id,
                KEY,
                "sign-off",
                1,
                TaskPhase.Pending,
                TaskPhase.Running,
                null,
                null,
                "waiting for approval by one of [editor, user-viewer-boss]",
                t0)));
    return id;
  }

  @Test
  void anApproverByRoleApprovesWithACommentAndTheDecisionIsShownOnTheTask() {
    String id = waitingRun();
    String editor = tokenFor(Role.editor);

    HttpResponse<String> r =
        http.post(
            "/api/v1/runs/" + id + "/tasks/sign-off/approve", editor, "{\"comment\":\"ship it\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(publisher.commandsOf(Inbound.ApproveTask.class))
        .containsExactly(
            new Inbound.ApproveTask(
                KEY, id, "sign-off", "user-editor", List.of("viewer", "editor"), "ship it"));

    Instant at = clock.instant();
    feed(
        List.of(
            new TaskApprovalRecorded(id, KEY, "sign-off", 1, true, "user-editor", "ship it", at),
            new TaskPhaseChanged(
                id,
                KEY,
                "sign-off",
                1,
                TaskPhase.Running,
                TaskPhase.Succeeded,
                null,
                null,
                "approved by user-editor: ship it",
                at)));
    JsonNode task = Http.json(http.get("/api/v1/runs/" + id, editor)).get("tasks").get(0);
    assertThat(task.get("phase").asText()).isEqualTo("Succeeded");
    assertThat(task.get("approval").get("approvers").toString())
        .isEqualTo("[\"editor\",\"user-viewer-boss\"]");
    JsonNode decision = task.get("approval").get("decision");
    assertThat(decision.get("approved").asBoolean()).isTrue();
    assertThat(decision.get("user").asText()).isEqualTo("user-editor");
    assertThat(decision.get("comment").asText()).isEqualTo("ship it");
    assertThat(Instant.parse(decision.get("at").asText())).isEqualTo(at);
  }

  @Test
  void aRejectWithoutABodyAndATimeOutAreKeptWithWhoDecided() {
    String id = waitingRun();

    HttpResponse<String> r = http.post("/api/v1/runs/" + id + "/tasks/sign-off/reject", admin, "");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(publisher.commandsOf(Inbound.RejectTask.class))
        .containsExactly(
            new Inbound.RejectTask(
                KEY, id, "sign-off", "admin", List.of("viewer", "editor", "admin"), null));

    String other = waitingRun();
    Instant at = clock.instant();
    feed(
        List.of(
            new TaskApprovalRecorded(
                other, KEY, "sign-off", 1, false, null, "no decision within 3600s", at),
            new TaskPhaseChanged(
                other,
                KEY,
                "sign-off",
                1,
                TaskPhase.Running,
                TaskPhase.Failed,
                null,
                FailureKind.TIMED_OUT,
                "no decision within 3600s",
                at)));
    JsonNode decision =
        Http.json(http.get("/api/v1/runs/" + other, admin))
            .get("tasks")
            .get(0)
            .get("approval")
            .get("decision");
    assertThat(decision.get("approved").asBoolean()).isFalse();
    assertThat(decision.has("user")).isFalse();
  }

  @Test
  void aUserWhoIsNotAnApproverIsRefusedWith403AndNothingIsPublished() {
    String id = waitingRun();

    HttpResponse<String> viewer =
        http.post("/api/v1/runs/" + id + "/tasks/sign-off/approve", tokenFor(Role.viewer), "");
    HttpResponse<String> anonymous =
        http.post("/api/v1/runs/" + id + "/tasks/sign-off/approve", null, "");
    HttpResponse<String> notApproval =
        http.post("/api/v1/runs/" + id + "/tasks/deploy/approve", admin, "");
    HttpResponse<String> unknown =
        http.post("/api/v1/runs/" + id + "/tasks/nope/approve", admin, "");

    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(viewer.body())
        .contains(
            "Expected one of the approvers [editor, user-viewer-boss] of task 'sign-off', but user"
                + " 'user-viewer' with roles [viewer] is none of them");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(notApproval.statusCode()).isEqualTo(409);
    assertThat(notApproval.body()).contains("is not one");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(publisher.commandsOf(Inbound.ApproveTask.class)).isEmpty();
  }

  @Test
  void aTaskThatDoesNotWaitCanNotBeDecided() {
    String id = startRun("release", "{}");

    HttpResponse<String> early =
        http.post("/api/v1/runs/" + id + "/tasks/sign-off/approve", admin, "");

    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(early.body()).contains("to wait for approval, but it does not");
  }
}

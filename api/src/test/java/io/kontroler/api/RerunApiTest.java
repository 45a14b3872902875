package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.auth.Role;
import io.kontroler.core.message.Inbound;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code POST /api/v1/runs/{id}/tasks/{task}/rerun}: who may, for which runs and tasks. */
@ParameterizedClass
@EnumSource(Db.class)
class RerunApiTest extends ApiTestBase {

  RerunApiTest(Db db) {
    super(db);
  }

  @BeforeEach
  void diamond() {
    applyOk(Samples.diamond("diamond"));
  }

  @Test
  void anEditorReRunsATaskOfASucceededRunWhichPublishesRerunTask() {
    String id = startRun("diamond", "{}");
    feed(diamondSucceeds(id, clock.instant()));
    String editor = tokenFor(Role.editor);

    HttpResponse<String> r = http.post("/api/v1/runs/" + id + "/tasks/b/rerun", editor, "");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(Http.json(r).get("id").asText()).isEqualTo(id);
    assertThat(publisher.commandsOf(Inbound.RerunTask.class))
        .containsExactly(new Inbound.RerunTask(DIAMOND_KEY, id, "b"));
  }

  @Test
  void aRunningRunCanReRunATaskButAPendingOneCannot() {
    String pending = startRun("diamond", "{}");
    HttpResponse<String> early = http.post("/api/v1/runs/" + pending + "/tasks/a/rerun", admin, "");
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(early.body()).contains("has started");

    feed(diamondSucceeds(pending, clock.instant()).subList(0, 3)); // a is running
    assertThat(http.post("/api/v1/runs/" + pending + "/tasks/a/rerun", admin, "").statusCode())
        .isEqualTo(202);
    assertThat(publisher.commandsOf(Inbound.RerunTask.class))
        .containsExactly(new Inbound.RerunTask(DIAMOND_KEY, pending, "a"));
  }

  @Test
  void unknownRunsAndTasksAre404AnInstanceIs400AndAViewerIsRefused() {
    String id = startRun("diamond", "{}");
    feed(diamondSucceeds(id, clock.instant()));

    assertThat(http.post("/api/v1/runs/no-such-run/tasks/a/rerun", admin, "").statusCode())
        .isEqualTo(404);
    HttpResponse<String> noTask = http.post("/api/v1/runs/" + id + "/tasks/zz/rerun", admin, "");
    assertThat(noTask.statusCode()).isEqualTo(404);
    assertThat(noTask.body()).contains("no task 'zz'");
    HttpResponse<String> instance =
        http.post("/api/v1/runs/" + id + "/tasks/a%5B3%5D/rerun", admin, "");
    assertThat(instance.statusCode()).isEqualTo(400);
    assertThat(instance.body()).contains("re-run 'a'");
    HttpResponse<String> viewer =
        http.post("/api/v1/runs/" + id + "/tasks/a/rerun", tokenFor(Role.viewer), "");
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(http.post("/api/v1/runs/" + id + "/tasks/a/rerun", null, "").statusCode())
        .isEqualTo(401);

    assertThat(publisher.commandsOf(Inbound.RerunTask.class)).isEmpty();
  }

  @Test
  void aRunFinishedLongerAgoThanTheSchedulerKeepsItCanNotBeReRun() {
    String id = startRun("diamond", "{}");
    feed(diamondSucceeds(id, clock.instant()));
    clock.advance(Duration.ofDays(8));
    String fresh = http.login("admin", ADMIN_PASSWORD);

    HttpResponse<String> late = http.post("/api/v1/runs/" + id + "/tasks/a/rerun", fresh, "");

    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(late.body()).contains("scheduler.finished.run.retention.ms", "start a new run");
    assertThat(publisher.commandsOf(Inbound.RerunTask.class)).isEmpty();
  }
}

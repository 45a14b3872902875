package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.auth.Role;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.RunCommand.RunPauseChanged;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code POST /api/v1/runs/{id}/pause} and {@code /resume}: who may, for which runs. */
@ParameterizedClass
@EnumSource(Db.class)
class PauseApiTest extends ApiTestBase {

  PauseApiTest(Db db) {
    super(db);
  }

  @BeforeEach
  void diamond() {
    applyOk(Samples.diamond("diamond"));
  }

  @Test
  void anEditorPausesARunningRunWhichIsShownPausedAndThenResumesIt() {
    String id = startRun("diamond", "{}");
    feed(diamondSucceeds(id, clock.instant()).subList(0, 3)); // a is running
    String editor = tokenFor(Role.editor);

    HttpResponse<String> paused = http.post("/api/v1/runs/" + id + "/pause", editor, "");

    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(202);
    assertThat(Http.json(paused).get("id").asText()).isEqualTo(id);
    assertThat(publisher.commandsOf(Inbound.PauseRun.class)).hasSize(1);
    Inbound.PauseRun sent = publisher.commandsOf(Inbound.PauseRun.class).get(0);
    assertThat(sent.dag()).isEqualTo(DIAMOND_KEY);
    assertThat(sent.runId()).isEqualTo(id);
    assertThat(sent.user()).isNotBlank();

    feed(List.of(new RunPauseChanged(id, DIAMOND_KEY, true, sent.user(), clock.instant())));
    var run = Http.json(http.get("/api/v1/runs/" + id, editor));
    assertThat(run.get("paused").asBoolean()).isTrue();
    assertThat(run.get("pausedBy").asText()).isEqualTo(sent.user());
    assertThat(run.get("phase").asText()).isEqualTo("Running");
    HttpResponse<String> again = http.post("/api/v1/runs/" + id + "/pause", editor, "");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("is not paused, but run " + id + " is");

    HttpResponse<String> resumed = http.post("/api/v1/runs/" + id + "/resume", editor, "");
    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
    assertThat(publisher.commandsOf(Inbound.ResumeRun.class))
        .containsExactly(new Inbound.ResumeRun(DIAMOND_KEY, id, sent.user()));
    feed(List.of(new RunPauseChanged(id, DIAMOND_KEY, false, sent.user(), clock.instant())));
    assertThat(Http.json(http.get("/api/v1/runs/" + id, editor)).get("paused").asBoolean())
        .isFalse();
  }

  @Test
  void aViewerIsRefusedAndFinishedOrUnpausedRunsAreConflicts() {
    String id = startRun("diamond", "{}");
    feed(diamondSucceeds(id, clock.instant()).subList(0, 3));

    assertThat(http.post("/api/v1/runs/" + id + "/pause", tokenFor(Role.viewer), "").statusCode())
        .isEqualTo(403);
    assertThat(http.post("/api/v1/runs/" + id + "/resume", tokenFor(Role.viewer), "").statusCode())
        .isEqualTo(403);
    assertThat(http.post("/api/v1/runs/" + id + "/pause", null, "").statusCode()).isEqualTo(401);
    HttpResponse<String> notPaused = http.post("/api/v1/runs/" + id + "/resume", admin, "");
    assertThat(notPaused.statusCode()).isEqualTo(409);
    assertThat(notPaused.body()).contains("Expected a paused run");
    assertThat(http.post("/api/v1/runs/no-such-run/pause", admin, "").statusCode()).isEqualTo(404);

    feed(diamondSucceeds(id, clock.instant()).subList(3, 14));
    HttpResponse<String> finished = http.post("/api/v1/runs/" + id + "/pause", admin, "");
    assertThat(finished.statusCode()).isEqualTo(409);
    assertThat(finished.body()).contains("is Succeeded");

    assertThat(publisher.commandsOf(Inbound.PauseRun.class)).isEmpty();
    assertThat(publisher.commandsOf(Inbound.ResumeRun.class)).isEmpty();
  }
}

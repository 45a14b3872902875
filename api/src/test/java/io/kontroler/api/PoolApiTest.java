package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.auth.Role;
import io.kontroler.core.message.PoolMessage.PoolHolder;
import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import io.kontroler.core.message.PoolMessage.PoolStatus;
import io.kontroler.core.run.RunCommand.TaskWaitingForPool;
import io.kontroler.core.run.TaskPhase;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shared pools at the api: an admin sets a pool's slots ({@code PoolSlotsSet} to kontroler.pools),
 * the pools' status and the tasks waiting for a slot are projected from run-events and shown.
 */
@ParameterizedClass
@EnumSource(Db.class)
class PoolApiTest extends ApiTestBase {

  PoolApiTest(Db db) {
    super(db);
  }

  @BeforeEach
  void diamond() {
    applyOk(Samples.diamond("diamond"));
  }

  @Test
  void anAdminSetsAPoolsSlotsWhichArePublishedKeyedByThePool() {
    HttpResponse<String> r = http.put("/api/v1/pools/warehouse", admin, "{\"slots\": 2}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    PoolSlotsSet sent = new PoolSlotsSet("warehouse", 2, "admin", clock.instant());
    assertThat(publisher.pools).containsExactly(sent);
    assertThat(publisher.poolKeys).containsExactly("warehouse");
    JsonNode answer = Http.json(r);
    assertThat(answer.get("pool").asText()).isEqualTo("warehouse");
    assertThat(answer.get("slots").asInt()).isEqualTo(2);
    assertThat(answer.get("user").asText()).isEqualTo("admin");
    assertThat(Instant.parse(answer.get("at").asText())).isEqualTo(clock.instant());

    assertThat(http.put("/api/v1/pools/warehouse", admin, "{\"slots\": 0}").statusCode())
        .isEqualTo(202);
    assertThat(publisher.pools)
        .last()
        .isEqualTo(new PoolSlotsSet("warehouse", 0, "admin", clock.instant()));
  }

  @Test
  void invalidNamesAndSlotCountsAreRefusedWithNothingPublished() {
    HttpResponse<String> negative = http.put("/api/v1/pools/warehouse", admin, "{\"slots\": -1}");
    HttpResponse<String> huge = http.put("/api/v1/pools/warehouse", admin, "{\"slots\": 10001}");
    HttpResponse<String> missing = http.put("/api/v1/pools/warehouse", admin, "{}");
    HttpResponse<String> badName = http.put("/api/v1/pools/-dash", admin, "{\"slots\": 1}");
    HttpResponse<String> notJson = http.put("/api/v1/pools/warehouse", admin, "slots: 1");

    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(negative.body()).contains("slots", "expected 0 to 10000 slots, but got -1");
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(huge.body()).contains("but got 10001");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("\"slots\"", "missing");
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(badName.body()).contains("\"name\"", "but got '-dash'");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(publisher.pools).isEmpty();
  }

  @Test
  void onlyAnAdminSetsSlotsAndAViewerReadsThePools() {
    String editor = tokenFor(Role.editor);
    String viewer = tokenFor(Role.viewer);
    server.pools().apply(status("warehouse", 2, 1, clock.instant()), 1);

    assertThat(http.put("/api/v1/pools/warehouse", editor, "{\"slots\": 2}").statusCode())
        .isEqualTo(403);
    assertThat(http.put("/api/v1/pools/warehouse", null, "{\"slots\": 2}").statusCode())
        .isEqualTo(401);
    assertThat(http.get("/api/v1/pools", viewer).statusCode()).isEqualTo(200);
    assertThat(http.get("/api/v1/pools/warehouse", viewer).statusCode()).isEqualTo(200);
    assertThat(http.get("/api/v1/pools", null).statusCode()).isEqualTo(401);
    assertThat(publisher.pools).isEmpty();
  }

  @Test
  void showsEachPoolAsItsOwnerLastReportedItAndAnUnknownPoolIsNotFound() {
    Instant t = clock.instant();
    PoolHolder holder =
        new PoolHolder(DIAMOND_KEY, "run-1", "b", 1, t.minusSeconds(5), t.plusSeconds(55));
    server.pools().apply(status("warehouse", 1, 0, t.minusSeconds(10)), 3);
    server.pools().apply(new PoolStatus("warehouse", 2, List.of(holder), 4, true, t), 7);
    server.pools().apply(new PoolStatus("reporting", 0, List.of(), 1, false, t), 8);
    // a replay of an older status changes nothing
    boolean replayed = server.pools().apply(status("warehouse", 1, 0, t.minusSeconds(10)), 3);

    assertThat(replayed).isFalse();
    JsonNode list = Http.json(http.get("/api/v1/pools", admin)).get("items");
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("name").asText()).isEqualTo("reporting");
    assertThat(list.get(0).get("defined").asBoolean()).isFalse();
    assertThat(list.get(0).get("waiting").asInt()).isEqualTo(1);
    JsonNode warehouse = list.get(1);
    assertThat(warehouse.get("name").asText()).isEqualTo("warehouse");
    assertThat(warehouse.get("slots").asInt()).isEqualTo(2);
    assertThat(warehouse.get("inUse").asInt()).isEqualTo(1);
    assertThat(warehouse.get("waiting").asInt()).isEqualTo(4);
    assertThat(warehouse.get("defined").asBoolean()).isTrue();
    assertThat(Instant.parse(warehouse.get("updatedAt").asText())).isEqualTo(t);

    JsonNode one = Http.json(http.get("/api/v1/pools/warehouse", admin));
    JsonNode h = one.get("holders").get(0);
    assertThat(h.get("dag").asText()).isEqualTo(DIAMOND_KEY);
    assertThat(h.get("runId").asText()).isEqualTo("run-1");
    assertThat(h.get("task").asText()).isEqualTo("b");
    assertThat(h.get("attempt").asInt()).isEqualTo(1);
    assertThat(Instant.parse(h.get("since").asText())).isEqualTo(t.minusSeconds(5));
    assertThat(Instant.parse(h.get("leaseUntil").asText())).isEqualTo(t.plusSeconds(55));

    HttpResponse<String> unknown = http.get("/api/v1/pools/nothing", admin);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no pool 'nothing'");
  }

  @Test
  void aTaskWaitingForAPoolShowsItUntilItsPhaseMovesOn() {
    String id = startRun("diamond", "{}");
    Instant t = clock.instant();
    feed(diamondSucceeds(id, t).subList(0, 4)); // a succeeded
    feed(
        List.of(
            task(id, "b", 1, TaskPhase.Pending, TaskPhase.Pending, null, t.plusSeconds(5)),
            new TaskWaitingForPool(id, DIAMOND_KEY, "b", 1, "warehouse", t.plusSeconds(5)),
            // c was not reported before it waits
            new TaskWaitingForPool(id, DIAMOND_KEY, "c", 1, "warehouse", t.plusSeconds(5))));

    JsonNode waiting = Http.json(http.get("/api/v1/runs/" + id, admin));
    assertThat(taskOf(waiting, "b").get("waitingForPool").asText()).isEqualTo("warehouse");
    assertThat(taskOf(waiting, "b").get("phase").asText()).isEqualTo("Pending");
    assertThat(taskOf(waiting, "c").get("waitingForPool").asText()).isEqualTo("warehouse");
    assertThat(taskOf(waiting, "c").get("phase").asText()).isEqualTo("Pending");
    assertThat(taskOf(waiting, "a").has("waitingForPool")).isFalse();

    feed(List.of(task(id, "b", 1, TaskPhase.Pending, TaskPhase.Queued, null, t.plusSeconds(9))));

    JsonNode granted = Http.json(http.get("/api/v1/runs/" + id, admin));
    assertThat(taskOf(granted, "b").has("waitingForPool")).isFalse();
    assertThat(taskOf(granted, "b").get("phase").asText()).isEqualTo("Queued");
    assertThat(taskOf(granted, "c").get("waitingForPool").asText()).isEqualTo("warehouse");
  }

  @Test
  void replayingTheWaitAfterTheTaskMovedOnChangesNothing() {
    String id = startRun("diamond", "{}");
    Instant t = clock.instant();
    TaskWaitingForPool wait = new TaskWaitingForPool(id, DIAMOND_KEY, "a", 1, "warehouse", t);
    assertThat(server.projection().apply(wait, 10)).isTrue();
    assertThat(
            server
                .projection()
                .apply(task(id, "a", 1, TaskPhase.Pending, TaskPhase.Queued, null, t), 11))
        .isTrue();

    assertThat(server.projection().apply(wait, 10)).isFalse();

    JsonNode run = Http.json(http.get("/api/v1/runs/" + id, admin));
    assertThat(taskOf(run, "a").has("waitingForPool")).isFalse();
    assertThat(taskOf(run, "a").get("phase").asText()).isEqualTo("Queued");
  }

  private static JsonNode taskOf(JsonNode run, String name) {
    for (JsonNode t : run.get("tasks")) {
      if (t.get("name").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no task " + name + " in " + run);
  }

  private static PoolStatus status(String pool, int slots, int waiting, Instant at) {
    return new PoolStatus(pool, slots, List.of(), waiting, true, at);
  }
}

package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.ChildRunLinked;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The instances of a forEach task ({@code b[0]}, {@code b[1]} …, P1) listed under their task with
 * counts by phase and paging, and a child run linked both ways to its parent's task (P3).
 */
@ParameterizedClass
@EnumSource(Db.class)
class InstancesApiTest extends ApiTestBase {

  InstancesApiTest(Db db) {
    super(db);
  }

  @BeforeEach
  void diamond() {
    applyOk(Samples.diamond("diamond"));
  }

  @Test
  void instancesAreListedUnderTheirTaskWithCountsAndTheFirstPage() {
    String id = startRun("diamond", "{}");
    Instant t = clock.instant();
    List<Notification> events = new ArrayList<>();
    events.add(
        run(id, RunPhase.Pending, RunPhase.Running, new PhaseCounts(4, 0, 0, 0, 0, 0, 0, 0), t));
    events.add(task(id, "b", 0, TaskPhase.Pending, TaskPhase.Running, null, t));
    for (int i = 0; i < 25; i++) {
      events.add(instance(id, i, 1, null, TaskPhase.Queued, t));
    }
    for (int i = 0; i < 12; i++) {
      events.add(instance(id, i, 1, TaskPhase.Queued, TaskPhase.Running, t.plusSeconds(1)));
    }
    for (int i = 0; i < 7; i++) {
      events.add(instance(id, i, 1, TaskPhase.Running, TaskPhase.Succeeded, t.plusSeconds(2)));
    }
    events.add(instance(id, 7, 1, TaskPhase.Running, TaskPhase.Retrying, t.plusSeconds(2)));
    events.add(instance(id, 7, 2, TaskPhase.Retrying, TaskPhase.Queued, t.plusSeconds(3)));
    feed(events);

    JsonNode run = Http.json(http.get("/api/v1/runs/" + id, admin));
    Map<String, JsonNode> tasks = byName(run.get("tasks"));
    assertThat(tasks).containsOnlyKeys("a", "b", "c", "d");
    JsonNode b = tasks.get("b");
    assertThat(b.get("phase").asText()).isEqualTo("Running");
    JsonNode group = b.get("instances");
    assertThat(group.get("total").asInt()).isEqualTo(25);
    assertThat(group.get("counts").get("Queued").asInt()).isEqualTo(14);
    assertThat(group.get("counts").get("Running").asInt()).isEqualTo(4);
    assertThat(group.get("counts").get("Succeeded").asInt()).isEqualTo(7);
    assertThat(names(group.get("items")))
        .hasSize(20)
        .startsWith("b[0]", "b[1]", "b[2]")
        .contains("b[9]", "b[10]", "b[19]")
        .doesNotContain("b[20]");
    assertThat(names(group.get("items")).indexOf("b[10]")).isEqualTo(10); // by index, not by name
    assertThat(group.get("items").get(7).get("attempts").asInt()).isEqualTo(2);
    assertThat(group.get("nextOffset").asInt()).isEqualTo(20);
    assertThat(tasks.get("a").has("instances")).isFalse();

    JsonNode page =
        Http.json(http.get("/api/v1/runs/" + id + "/tasks/b/instances?offset=20&limit=3", admin));
    assertThat(names(page.get("items"))).containsExactly("b[20]", "b[21]", "b[22]");
    assertThat(page.get("total").asInt()).isEqualTo(25);
    assertThat(page.get("nextOffset").asInt()).isEqualTo(23);
    JsonNode last =
        Http.json(http.get("/api/v1/runs/" + id + "/tasks/b/instances?offset=23", admin));
    assertThat(names(last.get("items"))).containsExactly("b[23]", "b[24]");
    assertThat(last.has("nextOffset")).isFalse();
    assertThat(http.get("/api/v1/runs/" + id + "/tasks/b/instances?limit=0", admin).statusCode())
        .isEqualTo(400);

    JsonNode attempts =
        Http.json(http.get("/api/v1/runs/" + id + "/tasks/b%5B7%5D/attempts", admin)).get("items");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("phase").asText()).isEqualTo("Failed");
  }

  @Test
  void tenThousandInstancesOfARunAreCountedAndPagedWithoutListingThemAll() {
    String id = startRun("diamond", "{}");
    Instant t = clock.instant();
    int n = 10_000;
    List<Notification> events = new ArrayList<>();
    events.add(task(id, "b", 0, TaskPhase.Pending, TaskPhase.Running, null, t));
    for (int i = 0; i < n; i++) {
      events.add(instance(id, i, 1, null, TaskPhase.Queued, t));
    }
    for (int i = 0; i < n; i++) {
      events.add(instance(id, i, 1, TaskPhase.Queued, TaskPhase.Succeeded, t.plusSeconds(1)));
    }
    long start = System.nanoTime();
    feed(events.subList(0, 1 + n));
    long firstHalf = System.nanoTime() - start;
    start = System.nanoTime();
    feed(events.subList(1 + n, events.size()));
    long secondHalf = System.nanoTime() - start;
    System.err.printf(
        "[figure] %s: %d instances created in %d ms, ended in %d ms%n",
        db, n, firstHalf / 1_000_000, secondHalf / 1_000_000);

    HttpResponse<String> r = http.get("/api/v1/runs/" + id, admin);
    JsonNode group = byName(Http.json(r).get("tasks")).get("b").get("instances");
    assertThat(group.get("total").asInt()).isEqualTo(n);
    assertThat(group.get("counts").get("Succeeded").asInt()).isEqualTo(n);
    assertThat(group.get("counts").size()).isEqualTo(1);
    assertThat(group.get("items")).hasSize(20);
    assertThat(r.body().length()).isLessThan(20_000); // the first page, not ten thousand
    JsonNode tail =
        Http.json(
            http.get("/api/v1/runs/" + id + "/tasks/b/instances?offset=9990&limit=500", admin));
    assertThat(names(tail.get("items"))).hasSize(10).startsWith("b[9990]").endsWith("b[9999]");
  }

  @Test
  void aChildRunLinksToItsParentsTaskAndTheTaskToItsChild() {
    String parent = startRun("diamond", "{}");
    String firstChild = startRun("diamond", "{}");
    String secondChild = startRun("diamond", "{}");
    Instant t = clock.instant();
    feed(
        List.of(
            run(
                parent,
                RunPhase.Pending,
                RunPhase.Running,
                new PhaseCounts(4, 0, 0, 0, 0, 0, 0, 0),
                t),
            task(parent, "c", 1, TaskPhase.Pending, TaskPhase.Running, null, t),
            link(parent, "c", 1, firstChild, t),
            link(parent, "c", 2, secondChild, t.plusSeconds(9))));
    // Delivered again (a replay of the topic): nothing changes.
    assertThat(server.projection().apply(link(parent, "c", 1, firstChild, t), 3)).isFalse();

    JsonNode parentRun = Http.json(http.get("/api/v1/runs/" + parent, admin));
    Map<String, JsonNode> tasks = byName(parentRun.get("tasks"));
    assertThat(tasks.get("c").get("childRunId").asText()).isEqualTo(secondChild);
    assertThat(tasks.get("a").has("childRunId")).isFalse();
    assertThat(parentRun.has("parent")).isFalse();

    for (String child : List.of(firstChild, secondChild)) {
      JsonNode childRun = Http.json(http.get("/api/v1/runs/" + child, admin));
      assertThat(childRun.get("parent").get("runId").asText()).isEqualTo(parent);
      assertThat(childRun.get("parent").get("dag").asText()).isEqualTo(DIAMOND_KEY);
      assertThat(childRun.get("parent").get("task").asText()).isEqualTo("c");
    }
  }

  private static ChildRunLinked link(
      String parent, String task, int attempt, String child, Instant at) {
    return new ChildRunLinked(parent, DIAMOND_KEY, task, attempt, child, DIAMOND_KEY, at);
  }

  private static TaskPhaseChanged instance(
      String runId, int index, int attempt, TaskPhase from, TaskPhase to, Instant at) {
    return task(runId, "b[" + index + "]", attempt, from, to, null, at);
  }

  private static Map<String, JsonNode> byName(JsonNode tasks) {
    Map<String, JsonNode> out = new HashMap<>();
    tasks.forEach(t -> out.put(t.get("name").asText(), t));
    return out;
  }

  private static List<String> names(JsonNode items) {
    List<String> out = new ArrayList<>();
    items.forEach(t -> out.add(t.get("name").asText()));
    return out;
  }
}

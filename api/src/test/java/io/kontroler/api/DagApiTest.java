package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Db.class)
class DagApiTest extends ApiTestBase {

  DagApiTest(Db db) {
    super(db);
  }

  @Test
  void applyingTheSameSpecKeepsItsVersionAndAChangeMakesTheNext() {
    JsonNode first = applyOk(Samples.diamond("diamond"));
    assertThat(first.get("applied").get(0).get("version").asInt()).isEqualTo(1);
    assertThat(first.get("applied").get(0).get("changed").asBoolean()).isTrue();

    HttpResponse<String> again =
        http.post("/api/v1/dags", admin, Samples.diamond("diamond"), "application/yaml");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(Http.json(again).get("applied").get(0).get("version").asInt()).isEqualTo(1);
    assertThat(Http.json(again).get("applied").get(0).get("changed").asBoolean()).isFalse();

    JsonNode changed = applyOk(Samples.diamond("diamond").replace("echo, d]", "echo, dd]"));
    assertThat(changed.get("applied").get(0).get("version").asInt()).isEqualTo(2);
    assertThat(publisher.commandsOf(Inbound.DagSubmitted.class)).hasSize(3);
    List<Catalog.DagPublished> published = publisher.catalogOf(Catalog.DagPublished.class);
    assertThat(published).extracting(Catalog.DagPublished::version).containsExactly(1, 1, 2);
    assertThat(published.get(2).dag()).isEqualTo("default/diamond");
  }

  @Test
  void theVersionIsTheSchedulersAndTheDagRowsComeFromTheCatalog() {
    // the scheduler already numbered version 7, published by another writer the api has not read
    scheduler.knows(
        new Catalog.DagPublished(
            "default/diamond",
            7,
            DagSpec.of(List.of(TaskSpec.of("only", "busybox", List.of("echo"), List.of()))),
            clock.instant()));
    JsonNode applied = applyOk(Samples.diamond("diamond"));
    assertThat(applied.get("applied").get(0).get("version").asInt()).isEqualTo(8);
    Inbound.DagSubmitted submitted = publisher.commandsOf(Inbound.DagSubmitted.class).get(0);
    assertThat(submitted.dag()).isEqualTo("default/diamond");
    assertThat(publisher.catalogOf(Catalog.DagPublished.class).get(0).submissionId())
        .isEqualTo(submitted.submissionId());
    JsonNode dag = Http.json(http.get("/api/v1/dags/default/diamond", admin));
    assertThat(dag.get("version").asInt()).isEqualTo(8);
    assertThat(dag.get("versions")).extracting(v -> v.get("version").asInt()).containsExactly(8);
  }

  @Test
  void aSchedulerThatDoesNotAnswerIs504AndRecordsNothing() {
    publisher.schedulerSilent = true;
    HttpResponse<String> r =
        http.post("/api/v1/dags", admin, Samples.diamond("diamond"), "application/yaml");
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.body()).contains("scheduler").contains("DAG default/diamond");
    assertThat(publisher.commandsOf(Inbound.DagSubmitted.class)).hasSize(1);
    assertThat(http.get("/api/v1/dags/default/diamond", admin).statusCode()).isEqualTo(404);
  }

  @Test
  void getShowsSpecVersionsAndGraph() {
    applyOk(Samples.diamond("diamond"));
    applyOk(Samples.diamond("diamond").replace("echo, b]", "echo, bb]"));
    HttpResponse<String> r = http.get("/api/v1/dags/default/diamond", admin);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode dag = Http.json(r);
    assertThat(dag.get("version").asInt()).isEqualTo(2);
    assertThat(dag.get("versions")).hasSize(2);
    assertThat(dag.get("spec").get("task")).hasSize(4);
    List<String> edges = new ArrayList<>();
    dag.get("graph")
        .get("edges")
        .forEach(e -> edges.add(e.get("from").asText() + ">" + e.get("to").asText()));
    assertThat(edges).containsExactlyInAnyOrder("a>b", "a>c", "b>d", "c>d");

    JsonNode v1 = Http.json(http.get("/api/v1/dags/default/diamond?version=1", admin));
    assertThat(v1.get("version").asInt()).isEqualTo(1);
    assertThat(v1.get("spec").toString()).contains("\"b\"");
    assertThat(http.get("/api/v1/dags/default/diamond?version=9", admin).statusCode())
        .isEqualTo(404);
    assertThat(http.get("/api/v1/dags/default/nothing", admin).statusCode()).isEqualTo(404);
  }

  @Test
  void listSearchesAndPages() {
    applyOk(Samples.diamond("alpha-one"));
    applyOk(Samples.diamond("alpha-two"));
    applyOk(Samples.diamond("beta"));
    JsonNode all = Http.json(http.get("/api/v1/dags", admin));
    assertThat(all.get("total").asInt()).isEqualTo(3);
    JsonNode alpha = Http.json(http.get("/api/v1/dags?search=alpha&limit=1", admin));
    assertThat(alpha.get("total").asInt()).isEqualTo(2);
    assertThat(alpha.get("items")).hasSize(1);
    assertThat(alpha.get("items").get(0).get("name").asText()).isEqualTo("alpha-one");
    JsonNode next = Http.json(http.get("/api/v1/dags?search=alpha&limit=1&offset=1", admin));
    assertThat(next.get("items").get(0).get("name").asText()).isEqualTo("alpha-two");
    assertThat(next.get("items").get(0).get("tasks").asInt()).isEqualTo(4);
    assertThat(http.get("/api/v1/dags?limit=0", admin).statusCode()).isEqualTo(400);
  }

  @Test
  void suspendRepublishesTheSameVersionAndDeleteHidesTheDag() {
    applyOk(Samples.diamond("diamond"));
    HttpResponse<String> s = http.post("/api/v1/dags/default/diamond/suspend", admin, "");
    assertThat(s.statusCode()).isEqualTo(200);
    assertThat(Http.json(s).get("suspended").asBoolean()).isTrue();
    List<Catalog.DagPublished> published = publisher.catalogOf(Catalog.DagPublished.class);
    assertThat(published).hasSize(2);
    assertThat(published.get(1).version()).isEqualTo(1);
    assertThat(published.get(1).spec().suspended()).isTrue();
    assertThat(publisher.commandsOf(Inbound.DagSubmitted.class).get(1).spec().suspended()).isTrue();
    JsonNode dag = Http.json(http.get("/api/v1/dags/default/diamond", admin));
    assertThat(dag.get("suspended").asBoolean()).isTrue();
    assertThat(dag.get("versions")).hasSize(1);

    http.post("/api/v1/dags/default/diamond/resume", admin, "");
    assertThat(publisher.catalogOf(Catalog.DagPublished.class).get(2).spec().suspended()).isFalse();

    assertThat(http.delete("/api/v1/dags/default/diamond", admin).statusCode()).isEqualTo(204);
    assertThat(publisher.catalogOf(Catalog.DagDeleted.class)).hasSize(1);
    assertThat(http.get("/api/v1/dags/default/diamond", admin).statusCode()).isEqualTo(404);
    assertThat(http.delete("/api/v1/dags/default/diamond", admin).statusCode()).isEqualTo(404);
  }

  @Test
  void dagTasksAndReferencesApplyTogether() {
    JsonNode applied = applyOk(Samples.DAG_TASK_AND_REF);
    assertThat(applied.get("applied")).hasSize(2);
    assertThat(publisher.catalogOf(Catalog.DagTaskPublished.class)).hasSize(1);
    Inbound.DagTaskSubmitted submitted =
        publisher.commandsOf(Inbound.DagTaskSubmitted.class).get(0);
    assertThat(submitted.dag()).isEqualTo("dagtask:default/shared-echo");
    // DagTasks are decided first, then the DAG that refers to them
    assertThat(publisher.commands.indexOf(submitted))
        .isLessThan(
            publisher.commands.indexOf(publisher.commandsOf(Inbound.DagSubmitted.class).get(0)));
    // one key per version: compaction of the catalog keeps every version a DAG may pin
    assertThat(publisher.catalogKeys).contains("dagtask:default/shared-echo#1");
    Catalog.DagPublished dag = publisher.catalogOf(Catalog.DagPublished.class).get(0);
    assertThat(dag.spec().task().get(0).image()).isEqualTo("busybox");

    JsonNode tasks = Http.json(http.get("/api/v1/dagtasks", admin));
    assertThat(tasks.get("items").get(0).get("name").asText()).isEqualTo("shared-echo");
    JsonNode task = Http.json(http.get("/api/v1/dagtasks/default/shared-echo", admin));
    assertThat(task.get("versions").get(0).get("spec").get("image").asText()).isEqualTo("busybox");
    assertThat(http.get("/api/v1/dagtasks/default/nope", admin).statusCode()).isEqualTo(404);
  }

  @Test
  void invalidDocumentsAnswerEveryProblemAndWriteNothing() {
    String both = Samples.diamond("good") + "---\n" + Samples.INVALID;
    HttpResponse<String> r = http.post("/api/v1/dags", admin, both, "application/yaml");
    assertThat(r.statusCode()).isEqualTo(400);
    List<String> paths = new ArrayList<>();
    Http.json(r).get("errors").forEach(e -> paths.add(e.get("path").asText()));
    assertThat(paths).contains("documents[1].spec.schedule");
    assertThat(paths).anyMatch(p -> p.startsWith("documents[1].spec.task["));
    assertThat(r.body()).contains("cycle");
    assertThat(publisher.catalog).isEmpty();
    assertThat(http.get("/api/v1/dags/default/good", admin).statusCode()).isEqualTo(404);
  }

  @Test
  void validateChecksWithoutApplying() {
    HttpResponse<String> ok =
        http.post("/api/v1/dags/validate", admin, Samples.diamond("diamond"), "application/yaml");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(Http.json(ok).get("valid").asBoolean()).isTrue();
    HttpResponse<String> bad =
        http.post("/api/v1/dags/validate", admin, Samples.INVALID, "application/yaml");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Http.json(bad).get("errors").size()).isGreaterThanOrEqualTo(2);
    assertThat(publisher.catalog).isEmpty();
    assertThat(http.get("/api/v1/dags/default/diamond", admin).statusCode()).isEqualTo(404);
  }

  @Test
  void malformedYamlIs400WithLineAndColumn() {
    String yaml = "apiVersion: kontroler.greedykomodo/v1alpha1\nkind: DAG\nmetadata:\n  name: [x\n";
    HttpResponse<String> r = http.post("/api/v1/dags", admin, yaml, "application/yaml");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.json(r).get("errors").get(0).get("path").asText())
        .matches("line \\d+, column \\d+");
    HttpResponse<String> json =
        http.post("/api/v1/dags", admin, "{\"kind\": \"DAG\",", "application/json");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(Http.json(json).get("errors").get(0).get("path").asText())
        .startsWith("line 1, column");
  }

  @Test
  void bodiesOverTheLimitAre413() {
    String huge = Samples.diamond("diamond") + "#" + "x".repeat(70 * 1024) + "\n";
    HttpResponse<String> r = http.post("/api/v1/dags", admin, huge, "application/yaml");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Http.json(r).get("errors").get(0).get("message").asText()).contains("limit");
    assertThat(publisher.catalog).isEmpty();
  }

  @Test
  void anUnreachableBrokerIs503AndNothingIsWritten() {
    publisher.failing = true;
    HttpResponse<String> r =
        http.post("/api/v1/dags", admin, Samples.diamond("diamond"), "application/yaml");
    assertThat(r.statusCode()).isEqualTo(503);
    publisher.failing = false;
    assertThat(http.get("/api/v1/dags/default/diamond", admin).statusCode()).isEqualTo(404);
    assertThat(applyOk(Samples.diamond("diamond")).get("applied").get(0).get("version").asInt())
        .isEqualTo(1);
  }

  @Test
  void webhookSecretIsForAdminsAndRotates() {
    applyOk(Samples.diamond("diamond"));
    String first =
        Http.json(http.get("/api/v1/dags/default/diamond/webhook-secret", admin))
            .get("secret")
            .asText();
    assertThat(first).hasSize(64);
    String second =
        Http.json(http.post("/api/v1/dags/default/diamond/webhook-secret/rotate", admin, ""))
            .get("secret")
            .asText();
    assertThat(second).isNotEqualTo(first);
    assertThat(
            Http.json(http.get("/api/v1/dags/default/diamond/webhook-secret", admin))
                .get("secret")
                .asText())
        .isEqualTo(second);
  }
}

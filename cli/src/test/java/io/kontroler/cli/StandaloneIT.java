package io.kontroler.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.cli.client.ApiClient;
import io.kontroler.cli.standalone.Standalone;
import io.kontroler.cli.standalone.StandaloneOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product on one machine, as {@code kontroler standalone} runs it: the shipped examples
 * are applied through the API and run to completion on the process executor.
 */
class StandaloneIT {
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final String PASSWORD = "it-admin-password";

  @TempDir static Path data;
  static Standalone standalone;
  static ApiClient api;

  @BeforeAll
  static void start() throws IOException {
    Path secret = data.resolve("secrets").resolve("pipeline-input");
    Files.createDirectories(secret);
    Files.writeString(secret.resolve("input"), "s3://bucket/from-secret");
    standalone =
        Standalone.start(new StandaloneOptions(0, data, 2, Map.of("admin.password", PASSWORD)));
    String token =
        new ApiClient(URI.create(standalone.url()), null)
            .post("/api/v1/auth/login", Map.of("username", "admin", "password", PASSWORD))
            .path("token")
            .asText();
    api = new ApiClient(URI.create(standalone.url()), token);
  }

  @AfterAll
  static void stop() {
    if (standalone != null) {
      standalone.close();
    }
  }

  static void apply(String file) throws IOException {
    api.postText("/api/v1/dags", Files.readString(EXAMPLES.resolve(file)), "application/yaml");
  }

  static JsonNode runToEnd(String dag, Map<String, Object> parameters) throws IOException {
    Map<String, Object> body = new HashMap<>();
    body.put("dagName", dag);
    body.put("parameters", parameters);
    String id = api.post("/api/v1/runs", body).path("id").asText();
    JsonNode[] run = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              try {
                run[0] = api.get("/api/v1/runs/" + id);
              } catch (ApiClient.ApiError e) {
                return false; // not projected yet
              }
              String phase = run[0].path("phase").asText();
              return phase.equals("Succeeded")
                  || phase.equals("Failed")
                  || phase.equals("Cancelled");
            });
    return run[0];
  }

  static JsonNode task(JsonNode run, String name) {
    for (JsonNode t : run.path("tasks")) {
      if (t.path("name").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no task " + name + " in " + run);
  }

  /** Each middle task started after {@code first} finished, and {@code last} after them all. */
  static void assertRanInOrder(JsonNode run, String first, List<String> middle, String last) {
    for (String name : middle) {
      JsonNode t = task(run, name);
      assertThat(at(t, "startedAt")).isAfterOrEqualTo(at(task(run, first), "finishedAt"));
      assertThat(at(task(run, last), "startedAt")).isAfterOrEqualTo(at(t, "finishedAt"));
    }
  }

  static Instant at(JsonNode task, String field) {
    return Instant.parse(task.path(field).asText());
  }

  @Test
  void theApprovalExampleWaitsForItsSignOffAndDeploysOnceAnAdminApproves() throws IOException {
    apply("approval.yaml");
    String id = api.post("/api/v1/runs", Map.of("dagName", "release")).path("id").asText();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              try {
                return task(api.get("/api/v1/runs/" + id), "sign-off")
                    .path("phase")
                    .asText()
                    .equals("Running");
              } catch (ApiClient.ApiError e) {
                return false; // not projected yet
              }
            });
    JsonNode waiting = api.get("/api/v1/runs/" + id);
    assertThat(task(waiting, "deploy").path("phase").asText()).isEqualTo("Pending");
    assertThat(task(waiting, "sign-off").path("message").asText())
        .isEqualTo("waiting for approval by one of [release-managers, admin]");

    api.post("/api/v1/runs/" + id + "/tasks/sign-off/approve", Map.of("comment", "ship it"));
    JsonNode run = awaitEnd(id);

    assertThat(run.path("phase").asText()).isEqualTo("Succeeded");
    JsonNode decision = task(run, "sign-off").path("approval").path("decision");
    assertThat(decision.path("user").asText()).isEqualTo("admin");
    assertThat(decision.path("comment").asText()).isEqualTo("ship it");
    assertThat(at(task(run, "deploy"), "startedAt")).isAfterOrEqualTo(at(decision, "at"));
  }

  static JsonNode awaitEnd(String id) {
    JsonNode[] run = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              try {
                run[0] = api.get("/api/v1/runs/" + id);
              } catch (ApiClient.ApiError e) {
                return false; // not projected yet
              }
              String phase = run[0].path("phase").asText();
              return phase.equals("Succeeded")
                  || phase.equals("Failed")
                  || phase.equals("Cancelled");
            });
    return run[0];
  }

  @Test
  void diamondRunsToSucceededInDependencyOrder() throws IOException {
    apply("diamond.yaml");

    JsonNode run = runToEnd("diamond", Map.of());

    assertThat(run.path("phase").asText()).isEqualTo("Succeeded");
    assertRanInOrder(run, "top", List.of("left", "right"), "bottom");
    assertThat(at(run, "finishedAt")).isAfterOrEqualTo(at(task(run, "bottom"), "finishedAt"));
  }

  @Test
  void seedExamplesRunWithDefaultsSecretsAndDagRunOverrides() throws IOException {
    apply("process-data.yaml");

    JsonNode first = runToEnd("workflow1", Map.of());
    JsonNode second = runToEnd("workflow2", Map.of());
    JsonNode fromSecret =
        runToEnd("workflow1", Map.of("input", Map.of("fromSecret", "pipeline-input")));

    assertThat(List.of(first, second, fromSecret))
        .allSatisfy(r -> assertThat(r.path("phase").asText()).isEqualTo("Succeeded"));
    assertThat(task(second, "merge").path("phase").asText()).isEqualTo("Succeeded");
    assertThat(fromSecret.path("parameters").path("input").asText())
        .isEqualTo("secret:pipeline-input");
    String log = log(fromSecret.path("id").asText(), "process", 1);
    assertThat(log).contains("processing s3://bucket/from-secret");
  }

  @Test
  void anOutputReachesALaterCommandAConditionSkipsABranchAndTheExitTaskSeesFailed()
      throws IOException {
    apply("pipeline.yaml");

    JsonNode run = runToEnd("pipeline", Map.of());

    assertThat(run.path("phase").asText()).isEqualTo("Failed");
    assertThat(task(run, "list").path("outputs").path("count").asText()).isEqualTo("3");
    assertThat(task(run, "count").path("outputs").path("seen").asText()).isEqualTo("saw 3 items");
    assertThat(task(run, "big-batch").path("phase").asText()).isEqualTo("Skipped");
    assertThat(task(run, "big-batch").path("message").asText()).startsWith("condition false");
    assertThat(task(run, "load").path("phase").asText()).isEqualTo("Failed");
    assertThat(task(run, "alert").path("phase").asText()).isEqualTo("Succeeded");
    assertThat(task(run, "notify").path("outputs").path("phase").asText()).isEqualTo("Failed");
    assertThat(at(task(run, "notify"), "startedAt"))
        .isAfterOrEqualTo(at(task(run, "alert"), "finishedAt"));
  }

  @Test
  void templatesCarryParametersAndOutputsIntoCommandsAndEnvironment() throws IOException {
    apply("templates-and-outputs.yaml");

    JsonNode run = runToEnd("templates-and-outputs", Map.of("day", "2027-01-02"));

    assertThat(run.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(task(run, "list").path("outputs").path("items").asText())
        .isEqualTo("[\"a\",\"b\",\"c\"]");
    assertThat(task(run, "report").path("outputs").path("summary").asText())
        .isEqualTo("report of 2027-01-02: 3 items");
  }

  @Test
  void aFalseConditionSkipsItsTaskAndSaysSo() throws IOException {
    apply("conditions.yaml");

    JsonNode run = runToEnd("conditions", Map.of());

    assertThat(run.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(task(run, "publish").path("phase").asText()).isEqualTo("Succeeded");
    assertThat(task(run, "rollback").path("phase").asText()).isEqualTo("Skipped");
    assertThat(task(run, "rollback").path("message").asText()).startsWith("condition false");
  }

  @Test
  void triggerRulesDecideWhatRunsAfterAFailureAndAllowFailureKeepsOneOutOfThePhase()
      throws IOException {
    apply("trigger-rules.yaml");

    JsonNode run = runToEnd("trigger-rules", Map.of());

    assertThat(run.path("phase").asText()).isEqualTo("Failed");
    assertThat(task(run, "lint").path("phase").asText()).isEqualTo("Failed");
    assertThat(task(run, "alert").path("phase").asText()).isEqualTo("Succeeded");
    assertThat(task(run, "publish").path("phase").asText()).isEqualTo("Skipped");
    assertThat(task(run, "publish").path("message").asText()).startsWith("trigger rule");
    assertThat(task(run, "cleanup").path("phase").asText()).isEqualTo("Succeeded");
  }

  @Test
  void anExitTaskRunsAfterTheMainTasksAndSeesThePhaseTheyCameTo() throws IOException {
    apply("exit-tasks.yaml");

    JsonNode run = runToEnd("exit-tasks", Map.of());

    assertThat(run.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(task(run, "notify").path("outputs").path("phase").asText()).isEqualTo("Succeeded");
    assertThat(at(task(run, "notify"), "startedAt"))
        .isAfterOrEqualTo(at(task(run, "work"), "finishedAt"));
  }

  @Test
  void aForEachTaskRunsOnceForEveryItemAndItsDownstreamOnceAfterThemAll() throws IOException {
    apply("foreach.yaml");

    JsonNode run = runToEnd("foreach", Map.of());

    assertThat(run.path("phase").asText()).isEqualTo("Succeeded");
    JsonNode process = task(run, "process");
    assertThat(process.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(process.path("instances").path("total").asInt()).isEqualTo(20);
    assertThat(process.path("instances").path("counts").path("Succeeded").asInt()).isEqualTo(20);
    assertThat(at(task(run, "summary"), "startedAt")).isAfterOrEqualTo(at(process, "finishedAt"));
    assertThat(log(run.path("id").asText(), "process%5B7%5D", 1)).contains("processing item-7");
    JsonNode page =
        api.get("/api/v1/runs/" + run.path("id").asText() + "/tasks/process/instances?limit=50");
    List<Instant[]> spans = new ArrayList<>();
    for (JsonNode instance : page.path("items")) {
      spans.add(new Instant[] {at(instance, "startedAt"), at(instance, "finishedAt")});
    }
    assertThat(spans).hasSize(20);
    assertThat(mostAtOnce(spans)).as("instances running at once").isBetween(1, 3);
  }

  @Test
  void thePoolExampleRunsAtMostTwoLoadsOfItsThreeDagsAtOnceAndAllSucceed() throws Exception {
    setPoolSlots("warehouse", 2);
    apply("pool.yaml");
    List<String> dags = List.of("load-orders", "load-customers", "load-stock");
    List<String> ids = new ArrayList<>();
    for (String dag : dags) {
      ids.add(api.post("/api/v1/runs", Map.of("dagName", dag)).path("id").asText());
    }

    List<Instant[]> loads = new ArrayList<>();
    for (String id : ids) {
      JsonNode run = awaitEnd(id);
      assertThat(run.path("phase").asText()).as(run.toString()).isEqualTo("Succeeded");
      for (JsonNode t : run.path("tasks")) {
        if (t.path("name").asText().startsWith("load-")) {
          loads.add(new Instant[] {at(t, "startedAt"), at(t, "finishedAt")});
        }
      }
    }

    assertThat(loads).hasSize(6);
    assertThat(mostAtOnce(loads)).as("loads holding the warehouse pool at once").isEqualTo(2);
  }

  /** Gives {@code pool} its slots as an admin would: a PoolSlotsSet on kontroler.pools. */
  private static void setPoolSlots(String pool, int slots) throws Exception {
    java.util.Properties p = new java.util.Properties();
    p.put("bootstrap.servers", standalone.bootstrapServers());
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
            p,
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer
          .send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  io.kontroler.core.message.Topics.DEFAULT_POOLS,
                  pool,
                  io.kontroler.core.message.MessageCodec.encode(
                      new io.kontroler.core.message.PoolMessage.PoolSlotsSet(
                          pool, slots, "admin", Instant.now()))))
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** The most spans [start, finish) that overlap at any instant. */
  static int mostAtOnce(List<Instant[]> spans) {
    int most = 0;
    for (Instant[] span : spans) {
      Instant t = span[0];
      int running = (int) spans.stream().filter(o -> !o[0].isAfter(t) && o[1].isAfter(t)).count();
      most = Math.max(most, running);
    }
    return most;
  }

  @Test
  void reRunningAMiddleTaskOfASucceededRunRunsItAndItsDownstreamAgainOnly() throws IOException {
    apply("diamond.yaml");
    JsonNode first = runToEnd("diamond", Map.of());
    assertThat(first.path("phase").asText()).isEqualTo("Succeeded");
    String id = first.path("id").asText();

    api.post("/api/v1/runs/" + id + "/tasks/left/rerun", Map.of());

    JsonNode[] run = new JsonNode[1];
    await("left and bottom run again and the run ends")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              run[0] = api.get("/api/v1/runs/" + id);
              return task(run[0], "bottom").path("attempts").asInt() == 2
                  && run[0].path("phase").asText().equals("Succeeded");
            });
    assertThat(task(run[0], "left").path("attempts").asInt()).isEqualTo(2);
    assertThat(task(run[0], "top").path("attempts").asInt()).isEqualTo(1);
    assertThat(task(run[0], "right").path("attempts").asInt()).isEqualTo(1);
    assertThat(at(task(run[0], "bottom"), "finishedAt"))
        .isAfterOrEqualTo(at(task(run[0], "left"), "finishedAt"));
  }

  @Test
  void aParentWhoseSubDagFailsEndsFailedAndLinksToTheFailedChild() throws IOException {
    api.postText(
        "/api/v1/dags",
        """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata:
          name: breaks
        spec:
          task:
            - name: fail
              image: alpine:3.20
              command: ["sh", "-c", "echo giving up; exit 3"]
        ---
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata:
          name: calls-breaks
        spec:
          task:
            - name: child
              dagRef:
                name: breaks
            - name: after
              runAfter: [child]
              image: alpine:3.20
              command: ["sh", "-c", "echo never"]
        """,
        "application/yaml");

    JsonNode parent = runToEnd("calls-breaks", Map.of());

    assertThat(parent.path("phase").asText()).isEqualTo("Failed");
    assertThat(task(parent, "child").path("phase").asText()).isEqualTo("Failed");
    assertThat(task(parent, "after").path("phase").asText()).isEqualTo("Skipped");
    String childId = task(parent, "child").path("childRunId").asText();
    JsonNode child = api.get("/api/v1/runs/" + childId);
    assertThat(child.path("phase").asText()).isEqualTo("Failed");
    assertThat(child.path("parent").path("runId").asText()).isEqualTo(parent.path("id").asText());
  }

  @Test
  void aSubDagTaskRunsItsChildRunAndBothLinkToEachOther() throws IOException {
    apply("subdag.yaml");

    JsonNode parent = runToEnd("nightly", Map.of());

    assertThat(parent.path("phase").asText()).isEqualTo("Succeeded");
    String childId = task(parent, "nightly-report").path("childRunId").asText();
    assertThat(childId).isNotEmpty();
    JsonNode child = api.get("/api/v1/runs/" + childId);
    assertThat(child.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(child.path("parent").path("runId").asText()).isEqualTo(parent.path("id").asText());
    assertThat(child.path("parent").path("task").asText()).isEqualTo("nightly-report");
  }

  @Test
  void retryOnExitCodeSucceedsOnItsSecondAttempt() throws IOException {
    apply("retry-on-exit-code.yaml");

    JsonNode run = runToEnd("retry-on-exit-code", Map.of());

    assertThat(run.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(task(run, "flaky").path("attempts").asInt()).isEqualTo(2);
    assertThat(log(run.path("id").asText(), "flaky", 1)).contains("first attempt fails");
    assertThat(log(run.path("id").asText(), "flaky", 2)).contains("attempt 2 succeeds");
  }

  @Test
  void scheduledEtlRunsOnDemandToo() throws IOException {
    apply("scheduled-etl.yaml");

    JsonNode run = runToEnd("scheduled-etl", Map.of("day", "2026-11-21"));

    assertThat(run.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(log(run.path("id").asText(), "extract", 1)).contains("extract 2026-11-21");
  }

  @Test
  void kopfWorkflowRunsStepsAfterWhatTheyDependOn() throws IOException {
    apply("kopf-workflow.yaml");

    JsonNode run = runToEnd("kopf-example", Map.of());

    assertThat(run.path("phase").asText()).isEqualTo("Succeeded");
    assertRanInOrder(run, "fetch", List.of("build", "test"), "publish");
    assertThat(log(run.path("id").asText(), "publish", 1)).contains("publish");
  }

  @Test
  void invalidDagIsRejectedWithEveryProblem() throws IOException {
    var error =
        org.junit.jupiter.api.Assertions.assertThrows(
            ApiClient.ApiError.class, () -> apply("bad/command-and-script.yaml"));

    assertThat(error.status()).isEqualTo(400);
    assertThat(error.getMessage())
        .contains(
            "task 'both' sets both command and script",
            "task 'neither' needs a command or a script");
  }

  @Test
  void cliRunWaitExitsWithTheRunsOutcome() throws IOException {
    apply("diamond.yaml");
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();

    int exit =
        Main.run(
            new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(err, true),
            "run",
            "diamond",
            "--wait",
            "--url",
            standalone.url(),
            "--token",
            token());

    assertThat(exit).isZero();
    assertThat(err.toString()).contains("Succeeded 4/4 succeeded");
  }

  @Test
  void theSeedDagRunStartsFromItsDocumentWithTheSecretParameter() throws IOException {
    apply("process-data.yaml");
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();

    int exit =
        Main.run(
            new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(err, true),
            "run",
            "-f",
            EXAMPLES.resolve("dagrun-from-secret.yaml").toString(),
            "--wait",
            "-o",
            "json",
            "--url",
            standalone.url(),
            "--token",
            token());

    assertThat(exit).as(err.toString()).isZero();
    JsonNode run = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    assertThat(run.path("name").asText()).isEqualTo("workflow1-nightly");
    assertThat(run.path("parameters").path("input").asText()).isEqualTo("secret:pipeline-input");
    assertThat(log(run.path("id").asText(), "process", 1))
        .contains("processing s3://bucket/from-secret");
  }

  private static String token() throws IOException {
    return new ApiClient(URI.create(standalone.url()), null)
        .post("/api/v1/auth/login", Map.of("username", "admin", "password", PASSWORD))
        .path("token")
        .asText();
  }

  @Test
  void aBackfillRunsEachDailySlotOnceWithItsLogicalDate() throws IOException {
    apply("backfill.yaml");
    Map<String, Object> range =
        Map.of("from", "2026-10-01T00:00:00Z", "to", "2026-10-03T00:00:00Z", "maxActive", 2);

    String first = backfillToEnd(range);
    String again = backfillToEnd(range);

    JsonNode runs = api.get("/api/v1/runs?dag=default/daily-report").path("items");
    assertThat(runs).hasSize(3);
    List<String> logs = new java.util.ArrayList<>();
    for (JsonNode r : runs) {
      assertThat(r.path("phase").asText()).isEqualTo("Succeeded");
      String[] lines = log(r.path("id").asText(), "report", 1).strip().split("\n");
      logs.add(lines[lines.length - 1]);
    }
    assertThat(logs)
        .containsExactlyInAnyOrder(
            "report for 2026-10-01T00:00:00Z",
            "report for 2026-10-02T00:00:00Z",
            "report for 2026-10-03T00:00:00Z");
    assertThat(first).isNotEqualTo(again);
  }

  /** Asks for a backfill of daily-report and waits until every slot's run ended; its id. */
  private static String backfillToEnd(Map<String, Object> range) throws IOException {
    String id =
        api.post("/api/v1/dags/default/daily-report/backfill", range).path("backfillId").asText();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              for (JsonNode b :
                  api.get("/api/v1/dags/default/daily-report/backfills").path("items")) {
                if (b.path("id").asText().equals(id)) {
                  return b.path("total").asInt() == 3 && b.path("done").asInt() == 3;
                }
              }
              return false;
            });
    return id;
  }

  private static String log(String runId, String task, int attempt) throws IOException {
    try (var in =
        api.stream("/api/v1/runs/" + runId + "/tasks/" + task + "/attempts/" + attempt + "/log")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}

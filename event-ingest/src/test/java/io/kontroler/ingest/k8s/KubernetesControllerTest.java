package io.kontroler.ingest.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import io.kontroler.core.message.Inbound.CancelRun;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The controller on fabric8's mock API server in CRUD mode, with the chart's CRDs. */
@EnableKubernetesMockClient(crud = true)
class KubernetesControllerTest {
  // the first reconciles of a fresh JVM on a loaded machine have taken 12 s
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  KubernetesClient client;
  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster(client);
  }

  @AfterEach
  void stop() {
    cluster.close();
    // Ends the client's watches now, so that the mock server's shutdown has none left to wait for.
    client.close();
  }

  @Test
  void theSeedExamplesAppliedAsResourcesArePublishedAndTheirDagRunRequestsARun() {
    cluster.apply("dagtask.yaml");
    cluster.apply("dag-taskref.yaml");
    cluster.apply("dag-scheduled.yaml");
    var dagRun = cluster.apply("dagrun.yaml");

    await().atMost(WAIT).until(() -> cluster.outbox.commands(RunRequested.class).size() == 1);
    RunRequested request = cluster.outbox.commands(RunRequested.class).get(0);
    assertThat(request.dag()).isEqualTo("default/dag-sample3");
    assertThat(request.idempotencyKey()).isEqualTo(dagRun.getMetadata().getUid());
    assertThat(request.parameters())
        .containsEntry("second", new ParameterValue.Literal("overridden"));
    await()
        .atMost(WAIT)
        .until(() -> "Accepted".equals(cluster.status(ResourceKind.DAG, "dag-ref").get("phase")));
    assertThat(cluster.outbox.catalog(DagTaskPublished.class))
        .extracting(DagTaskPublished::name, DagTaskPublished::version)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("dagtask-sample", 1));
    assertThat(cluster.outbox.catalog(DagPublished.class))
        .extracting(DagPublished::dag, DagPublished::version)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("default/dag-ref", 1),
            org.assertj.core.groups.Tuple.tuple("default/dag-sample3", 1));
    DagPublished ref = cluster.catalog.dag("default/dag-ref").orElseThrow();
    assertThat(ref.spec().task().get(0).image()).isEqualTo("alpine:latest");
    assertThat(cluster.status(ResourceKind.DAG_TASK, "dagtask-sample")).containsEntry("version", 1);
    for (ResourceKind kind : List.of(ResourceKind.DAG, ResourceKind.DAG_TASK)) {
      assertThat(
              cluster
                  .get(kind, kind == ResourceKind.DAG ? "dag-ref" : "dagtask-sample")
                  .getMetadata()
                  .getFinalizers())
          .containsExactly(kind.finalizer());
    }
    assertStatusesFitTheirSchemas();
  }

  @Test
  void aRejectedDagListsEveryProblemInItsStatusAndIsNotPublished() {
    cluster.create(
        """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: broken}
        spec:
          schedule: "61 * * * *"
          task:
            - {name: a, image: alpine, command: [sh], runAfter: [b]}
            - {name: b, image: alpine, command: [sh], runAfter: [a]}
            - {name: c, image: alpine, command: [sh], runAfter: [nowhere]}
            - {name: d, taskRef: {name: missing, version: 1}}
        """);

    await()
        .atMost(WAIT)
        .until(() -> "Rejected".equals(cluster.status(ResourceKind.DAG, "broken").get("phase")));
    @SuppressWarnings("unchecked")
    List<String> problems =
        (List<String>) cluster.status(ResourceKind.DAG, "broken").get("problems");
    assertThat(problems)
        .hasSize(4)
        .anyMatch(p -> p.startsWith("spec.schedule: bad cron expression: minute field '61'"))
        .anyMatch(p -> p.startsWith("spec.task[0].runAfter: cycle: a -> b -> a"))
        .anyMatch(p -> p.contains("depends on unknown 'nowhere'"))
        .anyMatch(p -> p.startsWith("spec.task[3].taskRef") && p.contains("missing"));
    assertThat((String) cluster.status(ResourceKind.DAG, "broken").get("message"))
        .startsWith(problems.size() + " problems: ");
    assertThat(cluster.outbox.catalog()).isEmpty();
    assertStatusesFitTheirSchemas();
  }

  @Test
  void aDagThatWaitsForItsDagTaskIsAcceptedWhenTheDagTaskArrives() {
    cluster.apply("dag-taskref.yaml");
    await()
        .atMost(WAIT)
        .until(() -> "Rejected".equals(cluster.status(ResourceKind.DAG, "dag-ref").get("phase")));

    cluster.apply("dagtask.yaml");

    await()
        .atMost(WAIT)
        .until(() -> "Accepted".equals(cluster.status(ResourceKind.DAG, "dag-ref").get("phase")));
    assertThat(cluster.outbox.catalog(DagPublished.class))
        .extracting(DagPublished::dag)
        .containsExactly("default/dag-ref");
  }

  @Test
  void aDagRunsStatusFollowsItsRunToSucceeded() {
    cluster.apply("dag-scheduled.yaml");
    var dagRun = cluster.apply("dagrun.yaml");
    String dag = "default/dag-sample3";
    String runId = RunIds.forRequest(dag, dagRun.getMetadata().getUid());
    await()
        .atMost(WAIT)
        .until(
            () -> runId.equals(cluster.status(ResourceKind.DAG_RUN, "dagrun-sample").get("runId")));
    assertThat(cluster.status(ResourceKind.DAG_RUN, "dagrun-sample"))
        .containsEntry("phase", "Pending");

    cluster
        .runs()
        .apply(
            new RunPhaseChanged(
                runId,
                dag,
                1,
                "dagrun-sample",
                RunPhase.Pending,
                RunPhase.Running,
                new PhaseCounts(3, 0, 0, 0, 0, 0, 0, 0),
                null,
                T0));
    cluster.runs().apply(task(runId, dag, "random", TaskPhase.Pending, TaskPhase.Queued));
    await()
        .atMost(WAIT)
        .until(
            () ->
                "Running"
                    .equals(cluster.status(ResourceKind.DAG_RUN, "dagrun-sample").get("phase")));
    cluster.runs().apply(task(runId, dag, "random", TaskPhase.Queued, TaskPhase.Succeeded));
    cluster.runs().apply(task(runId, dag, "random-b", TaskPhase.Pending, TaskPhase.Succeeded));
    cluster.runs().apply(task(runId, dag, "random-c", TaskPhase.Pending, TaskPhase.Succeeded));
    cluster
        .runs()
        .apply(
            new RunPhaseChanged(
                runId,
                dag,
                1,
                "dagrun-sample",
                RunPhase.Running,
                RunPhase.Succeeded,
                new PhaseCounts(0, 0, 0, 0, 3, 0, 0, 0),
                "all 3 tasks succeeded",
                T0.plusSeconds(42)));

    await()
        .atMost(WAIT)
        .until(
            () ->
                "Succeeded"
                    .equals(cluster.status(ResourceKind.DAG_RUN, "dagrun-sample").get("phase")));
    Map<String, Object> status = cluster.status(ResourceKind.DAG_RUN, "dagrun-sample");
    assertThat(status)
        .containsEntry("progress", "3/3")
        .containsEntry("startTime", T0.toString())
        .containsEntry("endTime", T0.plusSeconds(42).toString())
        .containsEntry("message", "all 3 tasks succeeded");
    assertThat((Map<String, Object>) status.get("counts"))
        .containsEntry("succeeded", 3)
        .containsEntry("pending", 0);
    assertStatusesFitTheirSchemas();
  }

  @Test
  void aDagsStatusShowsItsLatestRunAndKeepsItWhenTheDagChanges() {
    cluster.apply("dag-scheduled.yaml");
    String dag = "default/dag-sample3";
    await()
        .atMost(WAIT)
        .until(
            () -> "Accepted".equals(cluster.status(ResourceKind.DAG, "dag-sample3").get("phase")));

    cluster.runEvent(run("r1", dag, null, RunPhase.Pending, T0));
    cluster.runEvent(run("r1", dag, RunPhase.Pending, RunPhase.Running, T0.plusSeconds(1)));
    await().atMost(WAIT).until(() -> "Running".equals(lastRun("dag-sample3").get("phase")));
    cluster.runEvent(run("r1", dag, RunPhase.Running, RunPhase.Failed, T0.plusSeconds(5)));
    await().atMost(WAIT).until(() -> "Failed".equals(lastRun("dag-sample3").get("phase")));
    assertThat(lastRun("dag-sample3"))
        .isEqualTo(
            Map.of(
                "id",
                "r1",
                "phase",
                "Failed",
                "startedAt",
                T0.plusSeconds(1).toString(),
                "finishedAt",
                T0.plusSeconds(5).toString()));
    // a run of a DAG that is no resource here is not kept
    cluster.runEvent(run("x", "default/api-only", null, RunPhase.Pending, T0));
    assertThat(cluster.dagsWithLastRun()).isEqualTo(1);

    cluster.edit(
        ResourceKind.DAG,
        "dag-sample3",
        r -> {
          ((Map<String, Object>) r.getAdditionalProperties().get("spec"))
              .put("schedule", "0 * * * *");
          return r;
        });

    await()
        .atMost(WAIT)
        .until(
            () ->
                Integer.valueOf(2)
                    .equals(cluster.status(ResourceKind.DAG, "dag-sample3").get("version")));
    assertThat(lastRun("dag-sample3")).containsEntry("id", "r1").containsEntry("phase", "Failed");
    assertStatusesFitTheirSchemas();

    cluster.delete(ResourceKind.DAG, "dag-sample3");
    await().atMost(WAIT).until(() -> cluster.dagsWithLastRun() == 0);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> lastRun(String dag) {
    Object lastRun = cluster.status(ResourceKind.DAG, dag).get("lastRun");
    return lastRun == null ? Map.of() : (Map<String, Object>) lastRun;
  }

  private static RunPhaseChanged run(
      String runId, String dag, RunPhase from, RunPhase to, Instant at) {
    return new RunPhaseChanged(runId, dag, 1, runId, from, to, PhaseCounts.ZERO, null, at);
  }

  @Test
  void deletingADagRunCancelsItsRunBeforeItGoes() {
    cluster.apply("dag-scheduled.yaml");
    var dagRun = cluster.apply("dagrun.yaml");
    String runId = RunIds.forRequest("default/dag-sample3", dagRun.getMetadata().getUid());
    await()
        .atMost(WAIT)
        .until(
            () -> runId.equals(cluster.status(ResourceKind.DAG_RUN, "dagrun-sample").get("runId")));

    cluster.delete(ResourceKind.DAG_RUN, "dagrun-sample");

    await().atMost(WAIT).until(() -> cluster.get(ResourceKind.DAG_RUN, "dagrun-sample") == null);
    assertThat(cluster.outbox.commands(CancelRun.class))
        .extracting(CancelRun::runId, CancelRun::dag)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(runId, "default/dag-sample3"));
  }

  @Test
  void aDagTaskUsedByADagCannotBeDeletedUntilTheDagIsGone() {
    cluster.apply("dagtask.yaml");
    cluster.apply("dag-taskref.yaml");
    await()
        .atMost(WAIT)
        .until(() -> "Accepted".equals(cluster.status(ResourceKind.DAG, "dag-ref").get("phase")));

    cluster.delete(ResourceKind.DAG_TASK, "dagtask-sample");

    await()
        .atMost(WAIT)
        .until(
            () ->
                String.valueOf(
                        cluster.status(ResourceKind.DAG_TASK, "dagtask-sample").get("message"))
                    .contains("used by DAG default/dag-ref"));
    assertThat(
            cluster
                .get(ResourceKind.DAG_TASK, "dagtask-sample")
                .getMetadata()
                .getDeletionTimestamp())
        .isNotNull();

    cluster.delete(ResourceKind.DAG, "dag-ref");

    await().atMost(WAIT).until(() -> cluster.get(ResourceKind.DAG_TASK, "dagtask-sample") == null);
    assertThat(cluster.get(ResourceKind.DAG, "dag-ref")).isNull();
    assertThat(cluster.outbox.catalog(DagDeleted.class))
        .extracting(DagDeleted::dag)
        .containsExactly("default/dag-ref");
  }

  @Test
  void suspendingADagRepublishesItWithTheSameVersionAndAChangeMakesTheNext() {
    cluster.apply("dag-scheduled.yaml");
    await().atMost(WAIT).until(() -> cluster.outbox.catalog(DagPublished.class).size() == 1);

    cluster.edit(
        ResourceKind.DAG,
        "dag-sample3",
        r -> {
          ((Map<String, Object>) r.getAdditionalProperties().get("spec")).put("suspended", true);
          return r;
        });
    await().atMost(WAIT).until(() -> cluster.outbox.catalog(DagPublished.class).size() == 2);
    cluster.edit(
        ResourceKind.DAG,
        "dag-sample3",
        r -> {
          ((Map<String, Object>) r.getAdditionalProperties().get("spec"))
              .put("schedule", "0 * * * *");
          return r;
        });
    await().atMost(WAIT).until(() -> cluster.outbox.catalog(DagPublished.class).size() == 3);

    List<DagPublished> published = cluster.outbox.catalog(DagPublished.class);
    assertThat(published).extracting(DagPublished::version).containsExactly(1, 1, 2);
    assertThat(published.get(1).spec().suspended()).isTrue();
    await()
        .atMost(WAIT)
        .until(
            () ->
                Integer.valueOf(2)
                    .equals(cluster.status(ResourceKind.DAG, "dag-sample3").get("version")));
  }

  private static TaskPhaseChanged task(
      String runId, String dag, String task, TaskPhase from, TaskPhase to) {
    return new TaskPhaseChanged(runId, dag, task, 1, from, to, null, null, null, T0);
  }

  private void assertStatusesFitTheirSchemas() {
    for (ResourceKind kind : ResourceKind.values()) {
      for (var r : cluster.resources(kind).list().getItems()) {
        assertThat(SchemaCheck.problems(Resources.status(r), Crds.schema(kind, "status")))
            .as("status of %s %s", kind.kind(), r.getMetadata().getName())
            .isEmpty();
      }
    }
  }
}

package io.kontroler.ingest.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.job.JobLabels;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Inbound.CancelRun;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.ingest.k8s.MockCluster;
import io.kontroler.ingest.k8s.ResourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kopf WorkFlows on fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class WorkflowControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String DAG = "default/workflow.build";
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
  void aWorkflowRunsAsADagWithItsStepTimeoutAndItsStatusFollowsTheRun() {
    var workflow = cluster.apply("workflow.yaml");
    String runId =
        awaitRun(workflow.getMetadata().getUid() + "/" + workflow.getMetadata().getGeneration());

    DagPublished dag = cluster.outbox.catalog(DagPublished.class).get(0);
    assertThat(dag.dag()).isEqualTo(DAG);
    assertThat(dag.spec().task())
        .extracting(TaskSpec::name)
        .containsExactly("checkout", "compile", "notify");
    assertThat(dag.spec().task()).allMatch(t -> t.podTemplate().activeDeadlineSeconds() == 120L);
    assertThat(dag.spec().task().get(2).command()).isNull();
    assertThat(dag.spec().task().get(1).runAfter()).containsExactly("checkout");
    await().atMost(WAIT).until(() -> "Created".equals(workflowStatus()));
    Object createdAt = status().get("status-changed");

    cluster
        .runs()
        .apply(
            phase(
                runId,
                RunPhase.Pending,
                RunPhase.Running,
                new PhaseCounts(3, 0, 0, 0, 0, 0, 0, 0)));
    await().atMost(WAIT).until(() -> "Started".equals(workflowStatus()));
    assertThat(status().get("status-changed")).isNotEqualTo(createdAt);

    cluster
        .runs()
        .apply(
            phase(
                runId,
                RunPhase.Running,
                RunPhase.Succeeded,
                new PhaseCounts(0, 0, 0, 0, 3, 0, 0, 0)));
    await().atMost(WAIT).until(() -> "Completed".equals(workflowStatus()));
    assertThat(status())
        .containsEntry("message", "completed: 3/3 steps succeeded")
        .containsEntry("runId", runId);
  }

  @Test
  void relabellingAWorkflowRelabelsTheJobsOfItsRun() {
    var workflow = cluster.apply("workflow.yaml");
    String runId = awaitRun(workflow.getMetadata().getUid() + "/1");
    job(
        "build-checkout-1",
        runId,
        Map.of("team", "blue", "kontroler.greedykomodo/task", "checkout"));
    job("other-run-job", "another-run", Map.of("team", "blue"));

    editLabels(Map.of("team", "red", "env", "prod"));
    await().atMost(WAIT).until(() -> "red".equals(jobLabels("build-checkout-1").get("team")));
    assertThat(jobLabels("build-checkout-1"))
        .containsEntry("env", "prod")
        .containsEntry("kontroler.greedykomodo/task", "checkout")
        .containsEntry(JobLabels.RUN, runId)
        .containsEntry(JobLabels.MANAGED_BY, JobLabels.KONTROLER);

    editLabels(Map.of("team", "red"));
    await().atMost(WAIT).until(() -> !jobLabels("build-checkout-1").containsKey("env"));
    assertThat(jobLabels("other-run-job")).containsEntry("team", "blue");
    assertThat(cluster.outbox.commands(RunRequested.class)).hasSize(1);
  }

  @Test
  void changingTheSpecDeletesTheOldJobsAndStartsOver() {
    var workflow = cluster.apply("workflow.yaml");
    String firstRun = awaitRun(workflow.getMetadata().getUid() + "/1");
    cluster
        .runs()
        .apply(
            phase(
                firstRun,
                RunPhase.Pending,
                RunPhase.Running,
                new PhaseCounts(3, 0, 0, 0, 0, 0, 0, 0)));
    job("build-checkout-1", firstRun, Map.of());
    await().atMost(WAIT).until(() -> "Started".equals(workflowStatus()));

    cluster.edit(
        ResourceKind.WORKFLOW,
        "build",
        r -> {
          ((Map<String, Object>) r.getAdditionalProperties().get("spec")).put("maxStepTimeout", 30);
          return r;
        });

    String secondRun = awaitRun(workflow.getMetadata().getUid() + "/2");
    assertThat(secondRun).isNotEqualTo(firstRun);
    await().atMost(WAIT).until(() -> job("build-checkout-1") == null);
    assertThat(cluster.outbox.commands(CancelRun.class))
        .extracting(CancelRun::runId)
        .containsExactly(firstRun);
    assertThat(cluster.outbox.catalog(DagPublished.class))
        .extracting(DagPublished::version)
        .containsExactly(1, 2);
    assertThat(cluster.outbox.catalog(DagPublished.class).get(1).spec().task())
        .allMatch(t -> t.podTemplate().activeDeadlineSeconds() == 30L);
    await()
        .atMost(WAIT)
        .until(() -> secondRun.equals(status().get("runId")) && "Created".equals(workflowStatus()));
  }

  @Test
  void deletingAWorkflowCancelsItsRunAndDeletesItsJobs() {
    var workflow = cluster.apply("workflow.yaml");
    String runId = awaitRun(workflow.getMetadata().getUid() + "/1");
    job("build-checkout-1", runId, Map.of());
    job("build-compile-1", runId, Map.of());

    cluster.delete(ResourceKind.WORKFLOW, "build");

    await().atMost(WAIT).until(() -> cluster.get(ResourceKind.WORKFLOW, "build") == null);
    assertThat(job("build-checkout-1")).isNull();
    assertThat(job("build-compile-1")).isNull();
    assertThat(cluster.outbox.commands(CancelRun.class))
        .extracting(CancelRun::runId)
        .containsExactly(runId);
    assertThat(cluster.outbox.catalog(DagDeleted.class))
        .extracting(DagDeleted::dag)
        .containsExactly(DAG);
  }

  @Test
  void anInvalidWorkflowFailsWithItsProblems() {
    cluster.create(
        """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: WorkFlow
        metadata: {name: build}
        spec:
          maxStepTimeout: 0
          containers:
            - {stepName: a, image: alpine, dependsOn: [b]}
            - {stepName: b, image: alpine, dependsOn: [a]}
        """);

    await().atMost(WAIT).until(() -> "Failed".equals(workflowStatus()));
    assertThat((String) status().get("message")).contains("spec.maxStepTimeout").contains("cycle");
    assertThat(cluster.outbox.commands()).isEmpty();
  }

  private String awaitRun(String idempotencyKey) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster.outbox.commands(RunRequested.class).stream()
                    .anyMatch(r -> r.idempotencyKey().equals(idempotencyKey)));
    return RunIds.forRequest(DAG, idempotencyKey);
  }

  private Map<String, Object> status() {
    return cluster.status(ResourceKind.WORKFLOW, "build");
  }

  private String workflowStatus() {
    return (String) status().get("workflow-status");
  }

  private void editLabels(Map<String, String> labels) {
    cluster.edit(
        ResourceKind.WORKFLOW,
        "build",
        r -> {
          r.getMetadata().setLabels(new HashMap<>(labels));
          return r;
        });
  }

  private static RunPhaseChanged phase(
      String runId, RunPhase from, RunPhase to, PhaseCounts counts) {
    return new RunPhaseChanged(runId, DAG, 1, "build", from, to, counts, null, T0);
  }

  private void job(String name, String runId, Map<String, String> extraLabels) {
    Map<String, String> labels = new HashMap<>(extraLabels);
    labels.put(JobLabels.MANAGED_BY, JobLabels.KONTROLER);
    labels.put(JobLabels.RUN, runId);
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(MockCluster.NS)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withName("main")
            .withImage("alpine")
            .endContainer()
            .withRestartPolicy("Never")
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.batch().v1().jobs().inNamespace(MockCluster.NS).resource(job).create();
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace(MockCluster.NS).withName(name).get();
  }

  private Map<String, String> jobLabels(String name) {
    Job job = job(name);
    return job == null ? Map.of() : job.getMetadata().getLabels();
  }
}

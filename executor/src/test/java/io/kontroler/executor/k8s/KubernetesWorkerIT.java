package io.kontroler.executor.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kontroler.core.job.JobLabels;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.ReleaseRun;
import io.kontroler.core.run.RunEvent.TaskAccepted;
import io.kontroler.core.run.RunEvent.TaskFailed;
import io.kontroler.core.run.RunEvent.TaskStarted;
import io.kontroler.core.run.RunEvent.TaskSucceeded;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.executor.ExecutorConfig;
import io.kontroler.executor.ExecutorWorker;
import io.kontroler.executor.KafkaFixture;
import io.kontroler.executor.Launches;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.logstore.LocalLogStore;
import io.kontroler.logstore.LogStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers on the Kubernetes backend (fabric8's mock API server) against a real broker. */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesWorkerIT {
  private static final String DAG = "team-a/etl";

  @TempDir static Path brokerDir;
  private static EmbeddedKafka kafka;

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir Path dataDir;

  private KafkaFixture topics;
  private FakeJobController controller;
  private ExecutorWorker worker;
  private final List<ExecutorWorker> others = new ArrayList<>();

  @BeforeAll
  static void startKafka() {
    kafka = io.kontroler.testkafka.TestKafka.start(brokerDir);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @BeforeEach
  void setUp() {
    topics = new KafkaFixture(kafka);
    controller = new FakeJobController(client, server);
  }

  @AfterEach
  void tearDown() {
    if (worker != null) {
      worker.close();
    }
    others.forEach(ExecutorWorker::close);
    topics.close();
  }

  @Test
  void aRestartedWorkerAdoptsItsJobAndReportsHowItEnded() {
    LaunchTask launch = Launches.script("run-1", "transform", "echo hi");
    String jobName = JobNames.job(AttemptId.of(launch));
    worker = start();
    topics.send(DAG, launch);
    topics.send(DAG, launch); // delivered twice
    await().until(() -> controller.job("team-a", jobName) != null);
    controller.run(controller.job("team-a", jobName), "hi\n");
    await().until(() -> topics.count(TaskStarted.class) >= 1);

    worker.close();
    controller.exit(controller.job("team-a", jobName), 0, "hi\n"); // ends while no worker runs
    worker = start();

    await().atMost(Duration.ofSeconds(20)).until(() -> topics.count(TaskSucceeded.class) == 1);
    assertThat(client.batch().v1().jobs().inNamespace("team-a").list().getItems()).hasSize(1);
    await()
        .until(
            () ->
                "true"
                    .equals(
                        controller
                            .job("team-a", jobName)
                            .getMetadata()
                            .getAnnotations()
                            .get(JobLabels.REPORTED)));
    assertThat(topics.count(TaskFailed.class)).isZero();
  }

  @Test
  void aJobThatCannotPullItsImageIsReportedNeverStartedAndDeleted() {
    LaunchTask launch = Launches.script("run-2", "pull", "true");
    String jobName = JobNames.job(AttemptId.of(launch));
    worker = start();
    topics.send(DAG, launch);
    await().until(() -> controller.job("team-a", jobName) != null);

    Job job = controller.job("team-a", jobName);
    controller.waitForever(job, "ErrImagePull");

    await().until(() -> topics.count(TaskFailed.class) == 1);
    TaskFailed failed = topics.all(TaskFailed.class).get(0);
    assertThat(failed.kind()).isEqualTo(FailureKind.NEVER_STARTED);
    assertThat(topics.count(TaskStarted.class)).isZero();
    await().until(() -> controller.job("team-a", jobName) == null);
  }

  @Test
  void releaseDeletesTheWorkspaceClaimOfTheRun() {
    LaunchTask launch = Launches.launch("run-3", "ws", KubernetesBackendTest.fullContainer());
    worker = start();
    topics.send(DAG, launch);
    String claim = JobNames.workspaceClaim("run-3");
    await()
        .until(
            () ->
                client.persistentVolumeClaims().inNamespace("team-a").withName(claim).get()
                    != null);

    topics.send(DAG, new ReleaseRun("run-3", DAG, Instant.now()));

    await()
        .until(
            () ->
                client.persistentVolumeClaims().inNamespace("team-a").withName(claim).get()
                    == null);
  }

  @Test
  void jobsWhosePartitionMovedAreReportedOnceByTheWorkerThatTookThemOver() {
    int runs = 18;
    worker = start(runs);
    List<LaunchTask> launches = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      LaunchTask script = Launches.script("move-" + i, "t", "sleep 60");
      String dag = "team-a/etl-" + i; // DAGs spread over the six partitions
      LaunchTask launch =
          new LaunchTask(script.runId(), dag, 1, "t", 1, script.container(), script.at());
      launches.add(launch);
      topics.send(dag, launch);
    }
    List<String> jobs = launches.stream().map(l -> JobNames.job(AttemptId.of(l))).toList();
    await().until(() -> jobs.stream().allMatch(j -> controller.job("team-a", j) != null));
    jobs.forEach(j -> retryingConflicts(() -> controller.run(controller.job("team-a", j))));
    await().until(() -> topics.count(TaskStarted.class) == runs);

    ExecutorWorker second =
        start(runs); // joins: some partitions move to it with their running Jobs
    others.add(second);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              topics.count(TaskAccepted.class);
              return topics.all(TaskAccepted.class).stream()
                  .anyMatch(a -> a.executor().equals(second.executorId()));
            });
    await().until(() -> worker.inFlight() + second.inFlight() == runs);
    // A worker that sees a pod succeed before its Job is marked Complete reports it and deletes
    // the Job: a Job gone is one already reported.
    jobs.forEach(
        j ->
            retryingConflicts(
                () -> {
                  Job job = controller.job("team-a", j);
                  if (job != null) {
                    controller.exit(job, 0, "");
                  }
                }));

    await().atMost(Duration.ofSeconds(30)).until(() -> topics.count(TaskSucceeded.class) >= runs);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> topics.count(TaskSucceeded.class) == runs);
    assertThat(topics.perRun(TaskSucceeded.class))
        .hasSize(runs)
        .allSatisfy((run, n) -> assertThat(n).isEqualTo(1));
    assertThat(topics.count(TaskFailed.class)).isZero();
    assertThat(worker.inFlight() + second.inFlight()).isZero();
  }

  /** Does {@code edit} again when a worker changed the Job in between (409 Conflict). */
  private static void retryingConflicts(Runnable edit) {
    await()
        .ignoreException(KubernetesClientException.class)
        .until(
            () -> {
              edit.run();
              return true;
            });
  }

  private ExecutorWorker start() {
    return start(8);
  }

  private ExecutorWorker start(int inFlightLimit) {
    ExecutorConfig config =
        topics.config(dataDir, inFlightLimit).with(Map.of("executor.backend", "kubernetes"));
    LogStore logs = new LocalLogStore(dataDir.resolve("logs"));
    KubernetesBackend backend =
        new KubernetesBackend(client, KubernetesBackendTest.allowingFullContainer(), logs, false);
    return ExecutorWorker.start(config, backend, logs);
  }
}

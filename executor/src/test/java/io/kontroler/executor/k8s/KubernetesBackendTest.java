package io.kontroler.executor.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kontroler.core.dag.PodTemplate;
import io.kontroler.core.dag.Workspace;
import io.kontroler.core.job.JobLabels;
import io.kontroler.core.run.ContainerSpec;
import io.kontroler.core.run.EnvVar;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.validate.PodPolicy;
import io.kontroler.executor.Launches;
import io.kontroler.executor.backend.Adoptable;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.logstore.LocalLogStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesBackendTest {
  private static final String NS = "team-a";

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir Path dataDir;

  private LocalLogStore logs;
  private KubernetesBackend backend;
  private FakeJobController controller;
  private final Set<AttemptId> changed = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp() {
    Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    logs = new LocalLogStore(dataDir);
    backend = newBackend();
    controller = new FakeJobController(client, server);
  }

  @AfterEach
  void tearDown() {
    backend.close();
    // Ends the client's watches now, so that the mock server's shutdown has none left to wait for.
    client.close();
  }

  private KubernetesBackend newBackend() {
    KubernetesBackend created = new KubernetesBackend(client, allowingFullContainer(), logs, false);
    created.onChange(changed::add);
    return created;
  }

  @Test
  void buildsTheFullJobOfATaskWithEveryPodTemplateField() {
    LaunchTask launch = Launches.launch("run-1", "transform", fullContainer());

    PhaseInfo phase = backend.start(launch, 0);

    assertThat(phase.phase()).isEqualTo(Phase.Queued);
    Job job = controller.job(NS, JobNames.job(AttemptId.of(launch)));
    assertThat(job.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "kontroler")
        .containsEntry(JobLabels.DAG, "team-a.etl")
        .containsEntry(JobLabels.RUN, "run-1")
        .containsEntry(JobLabels.TASK, "transform")
        .containsEntry(JobLabels.ATTEMPT, "1");
    assertThat(job.getMetadata().getAnnotations()).containsEntry(JobLabels.DAG, "team-a/etl");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isNull(); // set once its log is stored
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getServiceAccountName()).isEqualTo("etl-runner");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getNodeSelector()).containsEntry("disktype", "ssd");
    assertThat(pod.getImagePullSecrets())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("registry"));
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(2000L);
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("dedicated");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions()
                .get(0)
                .getKey())
        .isEqualTo("zone");
    assertThat(pod.getVolumes())
        .extracting(v -> v.getName())
        .containsExactly("scratch", JobSpecs.WORKSPACE_VOLUME);
    assertThat(pod.getVolumes().get(0).getEmptyDir()).isNotNull();
    assertThat(pod.getVolumes().get(1).getPersistentVolumeClaim().getClaimName())
        .isEqualTo(JobNames.workspaceClaim("run-1"));
    Container container = pod.getContainers().get(0);
    assertThat(container.getName()).isEqualTo("task");
    assertThat(container.getImage()).isEqualTo("ghcr.io/acme/etl:1.2");
    assertThat(container.getCommand()).containsExactly("python", "-m", "etl");
    assertThat(container.getArgs()).containsExactly("--day", "2026-01-01");
    assertThat(container.getVolumeMounts())
        .extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactly("scratch:/scratch", JobSpecs.WORKSPACE_VOLUME + ":/workspace");
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("512Mi"));
    assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("250m"));
    assertThat(container.getEnv()).hasSize(2);
    assertThat(container.getEnv().get(0).getName()).isEqualTo("DAY");
    assertThat(container.getEnv().get(0).getValue()).isEqualTo("2026-01-01");
    assertThat(container.getEnv().get(1).getValue()).isNull();
    assertThat(container.getEnv().get(1).getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("db-creds");
    assertThat(container.getEnv().get(1).getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("PASSWORD");

    PersistentVolumeClaim claim =
        client
            .persistentVolumeClaims()
            .inNamespace(NS)
            .withName(JobNames.workspaceClaim("run-1"))
            .get();
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast");
    assertThat(claim.getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity("1Gi"));
  }

  @Test
  void aScriptRunsAsShellInTheTasksOwnImage() {
    LaunchTask launch = Launches.script("run-2", "hello", "echo hi && exit 0");
    backend.start(launch, 0);
    Container container =
        controller
            .job(NS, JobNames.job(AttemptId.of(launch)))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getImage()).isEqualTo("alpine:3");
    assertThat(container.getCommand()).containsExactly("sh", "-c");
    assertThat(container.getArgs()).containsExactly("echo hi && exit 0");
  }

  @Test
  void aTaskWithOutputsGetsTheOutputsFolderAndLeavesThemInItsTerminationMessage() {
    LaunchTask launch =
        Launches.withOutputs(
            Launches.command("run-o1", "list", "python", "-m", "list"), "items", "count");
    backend.start(launch, 0);

    Job job = controller.job(NS, JobNames.job(AttemptId.of(launch)));
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("kontroler-outputs");
              assertThat(v.getEmptyDir()).isNotNull();
            });
    assertThat(container.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("kontroler-outputs");
              assertThat(m.getMountPath()).isEqualTo("/kontroler/outputs");
            });
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("KONTROLER_OUTPUTS");
              assertThat(e.getValue()).isEqualTo("/kontroler/outputs");
            });
    assertThat(container.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(container.getTerminationMessagePolicy()).isEqualTo("File");
    assertThat(container.getCommand()).containsExactly("sh", "-c");
    assertThat(container.getArgs().get(0))
        .contains("'items' 'count'")
        .contains("/dev/termination-log");
    assertThat(container.getArgs().subList(1, container.getArgs().size()))
        .containsExactly("kontroler-outputs", "python", "-m", "list");
  }

  @Test
  void aTaskWithoutOutputsHasNoOutputsFolder() {
    LaunchTask launch = Launches.command("run-o2", "plain", "python", "-m", "plain");
    backend.start(launch, 0);

    PodSpec pod =
        controller.job(NS, JobNames.job(AttemptId.of(launch))).getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).isEmpty();
    assertThat(pod.getContainers().get(0).getCommand()).containsExactly("python", "-m", "plain");
    assertThat(pod.getContainers().get(0).getTerminationMessagePath()).isNull();
  }

  @Test
  void aTerminationMessageInThePodStatusBecomesTheOutputs() {
    LaunchTask launch =
        Launches.withOutputs(Launches.script("run-o3", "list", "true"), "items", "count", "none");
    AttemptId id = AttemptId.of(launch);
    backend.start(launch, 0);
    Job job = controller.job(NS, JobNames.job(id));

    controller.run(job);
    controller.succeed(
        job, "", "kontroler-outputs 1 14\nitems 10\n[\"a\",\"b\"]\ncount 2\n3\nnone -\n");

    await().until(() -> backend.check(id).isTerminal());
    PhaseInfo end = backend.check(id);
    assertThat(end.phase()).isEqualTo(Phase.Succeeded);
    assertThat(end.outputs()).isEqualTo(Map.of("items", "[\"a\",\"b\"]", "count", "3", "none", ""));
  }

  @Test
  void anOversizedTerminationMessageFailsAsInvalidOutputs() {
    LaunchTask launch = Launches.withOutputs(Launches.script("run-o4", "big", "true"), "blob");
    AttemptId id = AttemptId.of(launch);
    backend.start(launch, 0);
    Job job = controller.job(NS, JobNames.job(id));

    controller.run(job);
    controller.succeed(job, "", "kontroler-outputs 1 9000\n");

    await().until(() -> backend.check(id).isTerminal());
    PhaseInfo end = backend.check(id);
    assertThat(end.phase()).isEqualTo(Phase.PermanentFailure);
    assertThat(end.failureKind()).isEqualTo(FailureKind.INVALID_OUTPUTS);
    assertThat(end.message()).contains("9000 bytes").contains("limit of 4096 bytes");
  }

  @Test
  void aLaunchDeliveredTwiceCreatesOneJob() {
    LaunchTask launch = Launches.script("run-3", "once", "true");
    PhaseInfo first = backend.start(launch, 0);
    PhaseInfo second = backend.start(launch, 0);

    assertThat(first.phase()).isEqualTo(Phase.Queued);
    assertThat(second.phase()).isEqualTo(Phase.Queued);
    assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).hasSize(1);
  }

  @Test
  void anInstanceOfAForEachTaskRunsAsAJobNamedForItsIndex() throws Exception {
    LaunchTask launch = Launches.script("run-9", "process[7]", "echo seven");
    AttemptId id = AttemptId.of(launch);

    assertThat(backend.start(launch, 5).phase()).isEqualTo(Phase.Queued);

    Job job = controller.job(NS, JobNames.job(id));
    assertThat(job.getMetadata().getName()).startsWith("process-7-run-9-1-");
    assertThat(job.getMetadata().getLabels())
        .containsEntry(JobLabels.TASK, "process.7")
        .containsEntry(JobLabels.INSTANCE_OF, "process")
        .containsEntry(JobLabels.INDEX, "7");
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(JobLabels.TASK, "process[7]")
        .containsEntry(JobLabels.LAUNCH_PARTITION, "5");
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(JobLabels.JOB, job.getMetadata().getName())
        .containsEntry(JobLabels.INSTANCE_OF, "process");
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withLabel(JobLabels.INSTANCE_OF, "process")
                .list()
                .getItems())
        .hasSize(1);

    controller.run(job, "seven\n");
    await().until(() -> backend.check(id).phase() == Phase.Running);
    controller.exit(job, 0, "seven\n");
    await().until(() -> backend.check(id).phase() == Phase.Succeeded);
    await().until(() -> logs.read(id.logKey(), 0, 1000).complete());
    assertThat(logs.read(id.logKey(), 0, 1000).text()).isEqualTo("seven\n");
    assertThat(dataDir.resolve("runs/run-9/process[7]/1.log")).isRegularFile();

    backend.close();
    backend = newBackend(); // a worker that takes over finds it with the partition it came from
    await()
        .untilAsserted(
            () -> assertThat(backend.adopt(a -> true)).containsExactly(new Adoptable(id, 5)));
  }

  @Test
  void runningThenSucceededCopiesThePodLog() throws Exception {
    LaunchTask launch = Launches.script("run-4", "ok", "echo done");
    AttemptId id = AttemptId.of(launch);
    backend.start(launch, 0);
    Job job = controller.job(NS, JobNames.job(id));

    controller.run(job, "line one\n");
    await().until(() -> backend.check(id).phase() == Phase.Running);
    await().until(() -> logs.read(id.logKey(), 0, 1000).text().equals("line one\n"));
    assertThat(logs.read(id.logKey(), 0, 1000).complete()).isFalse();
    controller.exit(job, 0, "line one\nline two\n");

    await().until(() -> backend.check(id).phase() == Phase.Succeeded);
    assertThat(changed).contains(id);
    await().until(() -> logs.read(id.logKey(), 0, 1000).complete());
    assertThat(logs.read(id.logKey(), 0, 1000).text()).isEqualTo("line one\nline two\n");
  }

  @Test
  void aFinishedJobExpiresOnlyOnceItsLogIsStoredAndItsOutcomeReported() throws Exception {
    LaunchTask launch = Launches.script("run-4", "expires", "echo done");
    AttemptId id = AttemptId.of(launch);
    backend.start(launch, 0);
    Job job = controller.job(NS, JobNames.job(id));
    controller.run(job, "");
    controller.exit(job, 0, "done\n");

    await().until(() -> backend.check(id).phase() == Phase.Succeeded);
    await().until(() -> logs.read(id.logKey(), 0, 1000).complete());
    assertThat(controller.job(NS, JobNames.job(id)).getSpec().getTtlSecondsAfterFinished())
        .as("the outcome is not reported yet")
        .isNull();

    backend.finish(id);

    Job reported = controller.job(NS, JobNames.job(id));
    assertThat(reported.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
    assertThat(reported.getMetadata().getAnnotations()).containsEntry(JobLabels.REPORTED, "true");
    assertThat(logs.read(id.logKey(), 0, 1000).text()).isEqualTo("done\n");
  }

  @Test
  void aNonZeroExitIsExitedWithTheContainersCode() {
    PhaseInfo end =
        endOf(
            "exit",
            job -> {
              controller.run(job);
              controller.exit(job, 42, "boom\n");
            });
    assertThat(end.failureKind()).isEqualTo(FailureKind.EXITED);
    assertThat(end.exitCode()).isEqualTo(42);
    assertThat(end.phase()).isEqualTo(Phase.RetryableFailure);
  }

  @Test
  void imagePullErrorsAreNeverStartedAndTheStuckJobIsDeleted() {
    for (String reason :
        List.of("ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError")) {
      LaunchTask launch = Launches.script("run-pull", reason.toLowerCase(), "true");
      AttemptId id = AttemptId.of(launch);
      backend.start(launch, 0);
      Job job = controller.job(NS, JobNames.job(id));
      controller.waitForever(job, reason);

      await().until(() -> backend.check(id).isTerminal());
      PhaseInfo end = backend.check(id);
      assertThat(end.failureKind()).as(reason).isEqualTo(FailureKind.NEVER_STARTED);
      assertThat(end.phase()).isEqualTo(Phase.PermanentFailure);
      assertThat(end.message()).startsWith(reason);

      backend.finish(id);
      assertThat(controller.job(NS, job.getMetadata().getName())).isNull();
    }
  }

  @Test
  void deadlineExceededIsTimedOut() {
    PhaseInfo end =
        endOf(
            "slow",
            job -> {
              controller.run(job);
              controller.deadline(job);
            });
    assertThat(end.failureKind()).isEqualTo(FailureKind.TIMED_OUT);
  }

  @Test
  void anEvictedPodIsLost() {
    PhaseInfo end =
        endOf(
            "evicted",
            job -> {
              controller.run(job);
              controller.evict(job);
            });
    assertThat(end.failureKind()).isEqualTo(FailureKind.LOST);
    assertThat(end.phase()).isEqualTo(Phase.RetryableFailure);
  }

  @Test
  void aVanishedPodIsLost() {
    PhaseInfo end =
        endOf(
            "podgone",
            job -> {
              controller.run(job);
              controller.deletePod(job);
            });
    assertThat(end.failureKind()).isEqualTo(FailureKind.LOST);
  }

  @Test
  void aVanishedJobIsLost() {
    PhaseInfo end =
        endOf(
            "jobgone",
            job -> {
              controller.run(job);
              controller.deleteJob(job);
            });
    assertThat(end.failureKind()).isEqualTo(FailureKind.LOST);
  }

  @Test
  void killDeletesTheJobAndEndsTheAttemptAsKilled() {
    LaunchTask launch = Launches.script("run-kill", "victim", "sleep 1000");
    AttemptId id = AttemptId.of(launch);
    backend.start(launch, 0);
    controller.run(controller.job(NS, JobNames.job(id)));
    await().until(() -> backend.check(id).phase() == Phase.Running);

    backend.kill(id, "cancelled");

    assertThat(controller.job(NS, JobNames.job(id))).isNull();
    PhaseInfo end = backend.check(id);
    assertThat(end.failureKind()).isEqualTo(FailureKind.KILLED);
    assertThat(end.phase()).isEqualTo(Phase.PermanentFailure);
  }

  @Test
  void aRestartedBackendAdoptsTheJobsWhoseOutcomeWasNotReported() {
    LaunchTask running = Launches.script("run-5", "long", "sleep 100");
    LaunchTask done = Launches.script("run-5", "short", "true");
    LaunchTask reported = Launches.script("run-5", "reported", "true");
    backend.start(running, 0);
    backend.start(done, 0);
    backend.start(reported, 0);
    controller.run(controller.job(NS, JobNames.job(AttemptId.of(running))));
    Job reportedJob = controller.job(NS, JobNames.job(AttemptId.of(reported)));
    controller.run(reportedJob);
    controller.exit(reportedJob, 0, "");
    await().until(() -> backend.check(AttemptId.of(reported)).phase() == Phase.Succeeded);
    backend.finish(AttemptId.of(reported));
    backend.close();

    Job doneJob = controller.job(NS, JobNames.job(AttemptId.of(done)));
    controller.run(doneJob);
    controller.exit(doneJob, 0, ""); // finished while no worker was watching
    backend = newBackend();

    await()
        .untilAsserted(
            () ->
                assertThat(ids(backend.adopt(a -> true)))
                    .containsExactlyInAnyOrder(AttemptId.of(running), AttemptId.of(done)));
    assertThat(backend.adopt(a -> !a.id().dag().equals("team-a/etl"))).isEmpty();
    assertThat(backend.check(AttemptId.of(running)).phase()).isEqualTo(Phase.Running);
    assertThat(backend.check(AttemptId.of(done)).phase()).isEqualTo(Phase.Succeeded);
  }

  @Test
  void releaseDeletesTheRunsWorkspaceClaim() {
    LaunchTask launch = Launches.launch("run-6", "uses-ws", fullContainer());
    backend.start(launch, 0);
    String claim = JobNames.workspaceClaim("run-6");
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(claim).get()).isNotNull();

    backend.release("team-a/etl", "run-6");

    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(claim).get()).isNull();
  }

  @Test
  void workspaceClaimsOfRunsSilentForLongerThanTheGraceAreDeletedAndNoOthers() {
    LaunchTask busy = Launches.launch("run-busy", "uses-ws", fullContainer());
    LaunchTask gone = Launches.launch("run-gone", "uses-ws", fullContainer());
    backend.start(busy, 0);
    backend.start(gone, 0);
    controller.run(controller.job(NS, JobNames.job(AttemptId.of(busy))));
    Job goneJob = controller.job(NS, JobNames.job(AttemptId.of(gone)));
    controller.run(goneJob);
    controller.exit(goneJob, 0, "");
    await().until(() -> backend.check(AttemptId.of(gone)).phase() == Phase.Succeeded);
    await().until(() -> backend.check(AttemptId.of(busy)).phase() == Phase.Running);
    client
        .persistentVolumeClaims()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("someone-elses")
                .endMetadata()
                .build())
        .create();
    Duration grace = Duration.ofDays(7);
    Instant now = Instant.now();

    assertThat(backend.deleteOrphanWorkspaces(now.plus(Duration.ofDays(1)), grace)).isEmpty();
    List<String> deleted = backend.deleteOrphanWorkspaces(now.plus(Duration.ofDays(8)), grace);

    assertThat(deleted).containsExactly(NS + "/" + JobNames.workspaceClaim("run-gone"));
    assertThat(claim(JobNames.workspaceClaim("run-gone"))).isNull();
    assertThat(claim(JobNames.workspaceClaim("run-busy"))).as("its Job still runs").isNotNull();
    assertThat(claim("someone-elses")).isNotNull();
  }

  private io.fabric8.kubernetes.api.model.PersistentVolumeClaim claim(String name) {
    return client.persistentVolumeClaims().inNamespace(NS).withName(name).get();
  }

  @Test
  void aQuotaRefusalIsNotReady() {
    server
        .expect()
        .post()
        .withPath("/apis/batch/v1/namespaces/quota/jobs")
        .andReturn(
            403,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":403,"
                + "\"reason\":\"Forbidden\",\"message\":\"exceeded quota: compute\"}")
        .once();
    LaunchTask launch =
        new LaunchTask(
            "run-7", "quota/etl", 1, "big", 1, Launches.script("x", "y", "true").container(), null);

    PhaseInfo phase = backend.start(launch, 0);

    assertThat(phase.phase()).isEqualTo(Phase.NotReady);
    assertThat(phase.message()).contains("exceeded quota");
    assertThat(backend.start(launch, 0).phase()).isEqualTo(Phase.Queued);
  }

  private PhaseInfo endOf(String task, java.util.function.Consumer<Job> simulate) {
    LaunchTask launch = Launches.script("run-end", task, "true");
    AttemptId id = AttemptId.of(launch);
    backend.start(launch, 0);
    simulate.accept(controller.job(NS, JobNames.job(id)));
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.check(id).isTerminal());
    return backend.check(id);
  }

  /** The defaults, with the service account of {@link #fullContainer()} allowed by an admin. */
  static KubernetesSettings allowingFullContainer() {
    return KubernetesSettings.defaults()
        .withPodPolicy(PodPolicy.fromFlat(Map.of("policy.pod.service-accounts", "etl-runner")));
  }

  static ContainerSpec fullContainer() {
    PodTemplate template =
        new PodTemplate(
            List.of(Map.of("name", "scratch", "emptyDir", Map.of())),
            List.of(Map.of("name", "scratch", "mountPath", "/scratch")),
            List.of(Map.of("name", "registry")),
            Map.of("runAsUser", 1000, "fsGroup", 2000),
            Map.of("disktype", "ssd"),
            List.of(
                Map.of(
                    "key",
                    "dedicated",
                    "operator",
                    "Equal",
                    "value",
                    "etl",
                    "effect",
                    "NoSchedule")),
            Map.of(
                "nodeAffinity",
                Map.of(
                    "requiredDuringSchedulingIgnoredDuringExecution",
                    Map.of(
                        "nodeSelectorTerms",
                        List.of(
                            Map.of(
                                "matchExpressions",
                                List.of(
                                    Map.of(
                                        "key",
                                        "zone",
                                        "operator",
                                        "In",
                                        "values",
                                        List.of("a")))))))),
            "etl-runner",
            600L,
            false,
            Map.of("limits", Map.of("memory", "512Mi"), "requests", Map.of("cpu", "250m")));
    Workspace workspace =
        new Workspace(
            true,
            Map.of(
                "accessModes", List.of("ReadWriteOnce"),
                "storageClassName", "fast",
                "resources", Map.of("requests", Map.of("storage", "1Gi"))));
    return new ContainerSpec(
        "ghcr.io/acme/etl:1.2",
        List.of("python", "-m", "etl"),
        List.of("--day", "2026-01-01"),
        null,
        List.of(EnvVar.literal("DAY", "2026-01-01"), EnvVar.fromSecret("PASSWORD", "db-creds")),
        template,
        workspace);
  }

  private static List<AttemptId> ids(List<Adoptable> adopted) {
    return adopted.stream().map(Adoptable::id).toList();
  }
}

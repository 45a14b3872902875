package io.kontroler.executor.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kontroler.core.dag.PodTemplate;
import io.kontroler.core.run.ContainerSpec;
import io.kontroler.core.run.EnvVar;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.validate.PodPolicy;
import io.kontroler.executor.backend.Adoptable;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.logstore.LocalLogStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes backend keeps tasks in their DAG's namespace and checks the pod policy again at
 * launch, on fabric8's mock API server in CRUD mode: a refused pod never becomes a Job.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesPolicyTest {
  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path dataDir;

  private PhaseInfo start(KubernetesSettings settings, LaunchTask launch) {
    try (KubernetesBackend backend =
        new KubernetesBackend(client, settings, new LocalLogStore(dataDir), false)) {
      return backend.start(launch, 0);
    }
  }

  private static LaunchTask launch(String dag, String task, PodTemplate pod, EnvVar... env) {
    return new LaunchTask(
        "run-1",
        dag,
        1,
        task,
        1,
        new ContainerSpec("alpine:3", List.of("id"), List.of(), null, List.of(env), pod, null),
        Instant.parse("2026-01-01T00:00:00Z"));
  }

  private static PodTemplate pod(List<Object> volumes, Map<String, Object> securityContext) {
    return new PodTemplate(
        volumes, null, null, securityContext, null, null, null, null, null, null, null);
  }

  private List<Job> jobsEverywhere() {
    return client.batch().v1().jobs().inAnyNamespace().list().getItems();
  }

  private static void assertRefused(PhaseInfo phase, String... fragments) {
    assertThat(phase.phase()).isEqualTo(Phase.PermanentFailure);
    assertThat(phase.failureKind()).isEqualTo(FailureKind.NEVER_STARTED);
    assertThat(phase.message()).startsWith("Refused by the pod policy: ").contains(fragments);
  }

  @Test
  void aHostPathPodIsRefusedAndNoJobIsCreated() {
    LaunchTask launch =
        launch(
            "team-a/etl",
            "mount-host",
            pod(List.of(Map.of("name", "host", "hostPath", Map.of("path", "/"))), null));

    assertRefused(
        start(KubernetesSettings.defaults(), launch),
        "task.podTemplate.volumes[0].hostPath",
        "volume 'host' is a hostPath");
    assertThat(jobsEverywhere()).isEmpty();
  }

  @Test
  void aPrivilegedPodIsRefusedUnlessAnAdminAllowsIt() {
    LaunchTask launch =
        launch(
            "team-a/etl",
            "root",
            pod(
                null,
                Map.of("privileged", true, "capabilities", Map.of("add", List.of("SYS_ADMIN")))));

    assertRefused(
        start(KubernetesSettings.defaults(), launch),
        "container 'task' is privileged",
        "adds capability 'SYS_ADMIN'");
    assertThat(jobsEverywhere()).isEmpty();

    PodPolicy open =
        PodPolicy.fromFlat(
            Map.of("policy.pod.allow-privileged", "true", "policy.pod.capabilities", "SYS_ADMIN"));
    assertThat(start(KubernetesSettings.defaults().withPodPolicy(open), launch).phase())
        .isEqualTo(Phase.Queued);
    Container container =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace("team-a")
            .withName(JobNames.job(AttemptId.of(launch)))
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getSecurityContext().getPrivileged()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getAdd())
        .containsExactly("SYS_ADMIN");
  }

  @Test
  void aSecretInAnotherNamespaceThanTheDagsIsRefused() {
    // Jobs configured to run in Kontroler's own namespace: a Secret would be read there.
    KubernetesSettings shared = KubernetesSettings.defaults().withNamespace("kontroler");
    LaunchTask launch =
        launch("team-a/etl", "reads", PodTemplate.EMPTY, EnvVar.fromSecret("TOKEN", "kafka-tls"));

    assertRefused(
        start(shared, launch),
        "Secret 'kafka-tls' would be read in namespace 'kontroler', where the Jobs run, not in"
            + " the DAG's namespace 'team-a'");
    assertThat(jobsEverywhere()).isEmpty();

    PodPolicy allowed = PodPolicy.fromFlat(Map.of("policy.pod.secrets", "kontroler/kafka-tls"));
    assertThat(start(shared.withPodPolicy(allowed), launch).phase()).isEqualTo(Phase.Queued);
    assertThat(jobsEverywhere())
        .singleElement()
        .satisfies(j -> assertThat(j.getMetadata().getNamespace()).isEqualTo("kontroler"));
  }

  @Test
  void aSecretOutsideTheAllowListIsRefusedAsParameterAndAsVolume() {
    KubernetesSettings settings =
        KubernetesSettings.defaults()
            .withPodPolicy(PodPolicy.fromFlat(Map.of("policy.pod.secrets", "db-creds")));

    assertRefused(
        start(
            settings,
            launch("team-a/etl", "env", PodTemplate.EMPTY, EnvVar.fromSecret("PW", "admin-pw"))),
        "Secret 'admin-pw' of namespace 'team-a' is not in the allow-list");
    assertRefused(
        start(
            settings,
            launch(
                "team-a/etl",
                "volume",
                pod(
                    List.of(Map.of("name", "s", "secret", Map.of("secretName", "admin-pw"))),
                    null))),
        "Secret 'admin-pw' of namespace 'team-a' is not in the allow-list");
    assertThat(jobsEverywhere()).isEmpty();

    assertThat(
            start(
                    settings,
                    launch(
                        "team-a/etl", "ok", PodTemplate.EMPTY, EnvVar.fromSecret("PW", "db-creds")))
                .phase())
        .isEqualTo(Phase.Queued);
  }

  @Test
  void aNamespaceWhereTheExecutorMayNotCreateJobsEndsTheAttemptAtOnce() {
    server
        .expect()
        .post()
        .withPath("/apis/batch/v1/namespaces/elsewhere/jobs")
        .andReturn(
            403,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":403,"
                + "\"reason\":\"Forbidden\",\"message\":\"jobs.batch is forbidden: User"
                + " system:serviceaccount:kontroler:kontroler-executor cannot create resource"
                + " jobs\"}")
        .once();

    PhaseInfo phase =
        start(KubernetesSettings.defaults(), launch("elsewhere/etl", "t", PodTemplate.EMPTY));

    assertThat(phase.phase()).isEqualTo(Phase.PermanentFailure);
    assertThat(phase.failureKind()).isEqualTo(FailureKind.NEVER_STARTED);
    assertThat(phase.message())
        .startsWith("The executor may not create Jobs in namespace 'elsewhere'")
        .contains("cannot create resource jobs");
  }

  @Test
  void aBackendWatchingOnlyTheTaskNamespacesFollowsTheJobsThere() {
    KubernetesSettings settings =
        KubernetesSettings.fromFlat(
            Map.of("executor.kubernetes.watch-namespaces", "team-a, team-b"));
    assertThat(settings.watched()).containsExactly("team-a", "team-b");
    assertThat(settings.podPolicy()).isEqualTo(PodPolicy.RESTRICTED);
    LaunchTask launch = launch("team-b/etl", "t", PodTemplate.EMPTY);

    try (KubernetesBackend backend =
        new KubernetesBackend(client, settings, new LocalLogStore(dataDir), false)) {
      assertThat(backend.start(launch, 0).phase()).isEqualTo(Phase.Queued);
      AttemptId id = AttemptId.of(launch);
      org.awaitility.Awaitility.await().until(() -> ids(backend.adopt(a -> true)).contains(id));
      assertThat(backend.check(id).phase()).isEqualTo(Phase.Queued);
    }
  }

  @Test
  void jobsLandInTheirDagsNamespaceWithRestrictedPods() {
    LaunchTask a = launch("team-a/etl", "t", PodTemplate.EMPTY, EnvVar.fromSecret("PW", "db"));
    LaunchTask b = launch("team-b/etl", "t", PodTemplate.EMPTY, EnvVar.fromSecret("PW", "db"));

    assertThat(start(KubernetesSettings.defaults(), a).phase()).isEqualTo(Phase.Queued);
    assertThat(start(KubernetesSettings.defaults(), b).phase()).isEqualTo(Phase.Queued);

    assertThat(jobsEverywhere())
        .extracting(j -> j.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    PodSpec pod =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace("team-b")
            .withName(JobNames.job(AttemptId.of(b)))
            .get()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(JobSpecs.NOBODY);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    Container container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getEnv().get(0).getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("db");
  }

  private static List<AttemptId> ids(List<Adoptable> adopted) {
    return adopted.stream().map(Adoptable::id).toList();
  }
}

package io.kontroler.executor.k8s;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Plays the Kubernetes Job controller and kubelet against the mock API server: creates the pod of a
 * Job with container statuses, and moves Jobs to Complete or Failed through the status subresource.
 * Serves pod logs.
 */
final class FakeJobController {
  private static final int CONFLICT_TRIES = 5;

  private final KubernetesClient client;
  private final KubernetesMockServer server;

  FakeJobController(KubernetesClient client, KubernetesMockServer server) {
    this.client = client;
    this.server = server;
  }

  Job job(String namespace, String name) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
  }

  /** Creates the Job's pod, its task container running, and marks the Job active. */
  Pod run(Job job) {
    return run(job, "");
  }

  /** As {@link #run(Job)}, following the log gives {@code logSoFar}. */
  Pod run(Job job, String logSoFar) {
    server
        .expect()
        .get()
        .withPath(logPath(job) + "?pretty=false&container=task&follow=true")
        .andReturn(200, logSoFar)
        .always();
    Pod pod = pod(job, "Running", null, running());
    editJobStatus(job, null, 1);
    return pod;
  }

  /** The container exited with {@code exitCode}; the Job completes or fails accordingly. */
  void exit(Job job, int exitCode, String log) {
    serveLog(job, log);
    String phase = exitCode == 0 ? "Succeeded" : "Failed";
    pod(job, phase, null, terminated(exitCode, exitCode == 0 ? "Completed" : "Error"));
    editJobStatus(
        job,
        exitCode == 0 ? condition("Complete", null) : condition("Failed", "BackoffLimitExceeded"),
        0);
  }

  /**
   * The container exited 0 leaving {@code message} as its termination message; the Job completes.
   */
  void succeed(Job job, String log, String message) {
    serveLog(job, log);
    ContainerStatus status = terminated(0, "Completed");
    status.getState().getTerminated().setMessage(message);
    pod(job, "Succeeded", null, status);
    editJobStatus(job, condition("Complete", null), 0);
  }

  /** The container cannot start: it waits with {@code reason} (the Job stays active). */
  void waitForever(Job job, String reason) {
    pod(
        job,
        "Pending",
        null,
        new ContainerStatusBuilder()
            .withName(JobSpecs.CONTAINER)
            .withNewState()
            .withNewWaiting()
            .withReason(reason)
            .withMessage("cannot start " + reason)
            .endWaiting()
            .endState()
            .build());
    editJobStatus(job, null, 1);
  }

  /** The Job ran past activeDeadlineSeconds: its pods are killed and it fails. */
  void deadline(Job job) {
    // As the Job controller does: the Job fails first, then its pod is killed.
    editJobStatus(job, condition("Failed", "DeadlineExceeded"), 0);
    pod(job, "Failed", null, terminated(137, "Error"));
  }

  /** The kubelet evicted the pod. */
  void evict(Job job) {
    pod(job, "Failed", "Evicted", null);
    editJobStatus(job, condition("Failed", "BackoffLimitExceeded"), 0);
  }

  /** The pod was deleted from under the Job, which then fails. */
  void deletePod(Job job) {
    client.pods().inNamespace(job.getMetadata().getNamespace()).withName(podName(job)).delete();
    editJobStatus(job, condition("Failed", "BackoffLimitExceeded"), 0);
  }

  void deleteJob(Job job) {
    client.resource(job).delete();
  }

  static String podName(Job job) {
    return job.getMetadata().getName() + "-abcde";
  }

  private void serveLog(Job job, String log) {
    server
        .expect()
        .get()
        .withPath(logPath(job) + "?pretty=false&container=task")
        .andReturn(200, log)
        .always();
  }

  private static String logPath(Job job) {
    return "/api/v1/namespaces/"
        + job.getMetadata().getNamespace()
        + "/pods/"
        + podName(job)
        + "/log";
  }

  private Pod pod(Job job, String phase, String reason, ContainerStatus status) {
    String namespace = job.getMetadata().getNamespace();
    if (client.pods().inNamespace(namespace).withName(podName(job)).get() == null) {
      client
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(podName(job))
                  .withNamespace(namespace)
                  .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                  .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
                  .withCreationTimestamp(Instant.now().toString())
                  .endMetadata()
                  .withSpec(job.getSpec().getTemplate().getSpec())
                  .build())
          .create();
    }
    return onConflictAgain(
        () ->
            client
                .pods()
                .inNamespace(namespace)
                .withName(podName(job))
                .editStatus(
                    p -> {
                      p.setStatus(
                          new PodStatusBuilder()
                              .withPhase(phase)
                              .withReason(reason)
                              .withContainerStatuses(
                                  status == null
                                      ? new ContainerStatus[0]
                                      : new ContainerStatus[] {status})
                              .build());
                      return p;
                    }));
  }

  private void editJobStatus(Job job, JobCondition condition, int active) {
    onConflictAgain(
        () ->
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName())
                .editStatus(
                    j -> {
                      j.setStatus(
                          new JobStatusBuilder()
                              .withActive(active)
                              .withConditions(
                                  condition == null
                                      ? new JobCondition[0]
                                      : new JobCondition[] {condition})
                              .build());
                      return j;
                    }));
  }

  /**
   * Runs {@code edit} again when the API server answers 409 (the object changed since it was read),
   * as Kubernetes' own controllers do: the backend writes the same Jobs (their reported annotation
   * and TTL), and the mock server has refused a pod's status edit this way too.
   */
  private static <T> T onConflictAgain(Supplier<T> edit) {
    for (int tries = 1; ; tries++) {
      try {
        return edit.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || tries == CONFLICT_TRIES) {
          throw e;
        }
      }
    }
  }

  private static JobCondition condition(String type, String reason) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withLastTransitionTime(Instant.now().toString())
        .build();
  }

  private static ContainerStatus running() {
    return new ContainerStatusBuilder()
        .withName(JobSpecs.CONTAINER)
        .withNewState()
        .withNewRunning()
        .withStartedAt(Instant.now().toString())
        .endRunning()
        .endState()
        .build();
  }

  private static ContainerStatus terminated(int exitCode, String reason) {
    return new ContainerStatusBuilder()
        .withName(JobSpecs.CONTAINER)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .withStartedAt(Instant.now().minusSeconds(5).toString())
        .withFinishedAt(Instant.now().toString())
        .endTerminated()
        .endState()
        .build();
  }
}

package io.kontroler.executor.k8s;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.kontroler.core.run.FailureKind;
import io.kontroler.executor.backend.PhaseInfo;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the phase of an attempt from its Job and pods: a pure function of what the API server says.
 * Exit codes come from the container's terminated state; image and configuration errors mean the
 * container never started; DeadlineExceeded is a timeout; an evicted or vanished pod, or a vanished
 * Job, is lost.
 */
public final class JobOutcomes {
  /** Waiting reasons after which the container will not start without a change of the task. */
  static final Set<String> NEVER_STARTS =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "ErrImageNeverPull",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError");

  private JobOutcomes() {}

  /**
   * The phase of an attempt whose Job is {@code job} (null: it does not exist) with {@code pods};
   * {@code killed} says a kill was asked for.
   */
  public static PhaseInfo of(Job job, List<Pod> pods, boolean killed) {
    if (killed) {
      return PhaseInfo.failed(FailureKind.KILLED, null, "killed", null);
    }
    if (job == null) {
      return PhaseInfo.failed(FailureKind.LOST, null, "the Job vanished", null);
    }
    List<String> outputs = declaredOutputs(job);
    Optional<JobCondition> complete = condition(job, "Complete");
    if (complete.isPresent()) {
      return succeeded(outputs, latest(pods), time(complete.get().getLastTransitionTime()));
    }
    Optional<JobCondition> failed = condition(job, "Failed");
    if (failed.isPresent() && "DeadlineExceeded".equals(failed.get().getReason())) {
      return PhaseInfo.failed(
          FailureKind.TIMED_OUT,
          null,
          message(failed.get()),
          time(failed.get().getLastTransitionTime()));
    }
    Pod pod = latest(pods);
    Optional<ContainerStateWaiting> stuck = neverStarting(pod);
    if (stuck.isPresent()) {
      return PhaseInfo.failed(
          FailureKind.NEVER_STARTED,
          null,
          stuck.get().getReason() + ": " + nonNull(stuck.get().getMessage()),
          Instant.now());
    }
    PhaseInfo fromPod = fromPod(pod, outputs);
    if (fromPod != null) {
      return fromPod;
    }
    if (failed.isPresent()) {
      return PhaseInfo.failed(
          FailureKind.LOST,
          null,
          "the Job failed (" + message(failed.get()) + ") and its pod is gone",
          time(failed.get().getLastTransitionTime()));
    }
    return PhaseInfo.queued(pod == null ? "waiting for a pod" : "pod " + phaseOf(pod));
  }

  private static PhaseInfo fromPod(Pod pod, List<String> outputs) {
    if (pod == null || pod.getStatus() == null) {
      return null;
    }
    String phase = phaseOf(pod);
    String reason = pod.getStatus().getReason();
    ContainerState state = taskState(pod);
    ContainerStateTerminated terminated = state == null ? null : state.getTerminated();
    if ("Failed".equals(phase)) {
      if ("Evicted".equals(reason) || "Preempting".equals(reason)) {
        return PhaseInfo.failed(
            FailureKind.LOST,
            null,
            reason + ": " + nonNull(pod.getStatus().getMessage()),
            Instant.now());
      }
      if ("DeadlineExceeded".equals(reason)) {
        return PhaseInfo.failed(FailureKind.TIMED_OUT, null, "DeadlineExceeded", Instant.now());
      }
      if (terminated != null && terminated.getExitCode() != null && terminated.getExitCode() != 0) {
        return PhaseInfo.failed(
            FailureKind.EXITED,
            terminated.getExitCode(),
            nonNull(terminated.getReason()) + " (exit code " + terminated.getExitCode() + ")",
            time(terminated.getFinishedAt()));
      }
      return PhaseInfo.failed(
          FailureKind.LOST, null, "pod failed: " + nonNull(reason), Instant.now());
    }
    if ("Succeeded".equals(phase)) {
      return succeeded(outputs, pod, terminated == null ? null : time(terminated.getFinishedAt()));
    }
    if (state != null && state.getRunning() != null) {
      return PhaseInfo.running(time(state.getRunning().getStartedAt()));
    }
    if (terminated != null) { // the container ended; the pod phase follows shortly
      return PhaseInfo.running(time(terminated.getStartedAt()));
    }
    return null;
  }

  /**
   * The end of an attempt that exited 0: with the outputs its container left in its termination
   * message, when it declares any.
   */
  private static PhaseInfo succeeded(List<String> outputs, Pod pod, Instant at) {
    if (outputs.isEmpty()) {
      return PhaseInfo.succeeded(at);
    }
    if (pod == null) {
      return PhaseInfo.failed(
          FailureKind.LOST,
          null,
          "the Job completed but its pod, which held the task's outputs, is gone",
          at);
    }
    ContainerState state = pod.getStatus() == null ? null : taskState(pod);
    if (state == null || state.getTerminated() == null) {
      return PhaseInfo.running(null); // the Job is ahead of the pod's status: it follows
    }
    return TerminationOutputs.read(state.getTerminated().getMessage(), outputs, at);
  }

  /** The outputs the Job's task declares, from the Job's annotation. */
  static List<String> declaredOutputs(Job job) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    String names = annotations == null ? null : annotations.get(JobSpecs.OUTPUTS_ANNOTATION);
    if (names == null || names.isBlank()) {
      return List.of();
    }
    return List.of(names.split(","));
  }

  private static Optional<ContainerStateWaiting> neverStarting(Pod pod) {
    if (pod == null || pod.getStatus() == null) {
      return Optional.empty();
    }
    List<ContainerStatus> statuses = new ArrayList<>();
    if (pod.getStatus().getInitContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getInitContainerStatuses());
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getContainerStatuses());
    }
    return statuses.stream()
        .map(ContainerStatus::getState)
        .filter(s -> s != null && s.getWaiting() != null)
        .map(ContainerState::getWaiting)
        .filter(w -> NEVER_STARTS.contains(w.getReason()))
        .findFirst();
  }

  private static ContainerState taskState(Pod pod) {
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    if (statuses == null) {
      return null;
    }
    return statuses.stream()
        .filter(s -> JobSpecs.CONTAINER.equals(s.getName()))
        .map(ContainerStatus::getState)
        .findFirst()
        .orElse(null);
  }

  private static Pod latest(List<Pod> pods) {
    return pods.stream()
        .max(Comparator.comparing(p -> nonNull(p.getMetadata().getCreationTimestamp())))
        .orElse(null);
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  /** True once the Job has a Complete or Failed condition. */
  static boolean isFinished(Job job) {
    return condition(job, "Complete").isPresent() || condition(job, "Failed").isPresent();
  }

  private static String phaseOf(Pod pod) {
    return pod.getStatus() == null ? "Pending" : nonNull(pod.getStatus().getPhase());
  }

  private static String message(JobCondition condition) {
    String message = nonNull(condition.getReason());
    return condition.getMessage() == null ? message : message + ": " + condition.getMessage();
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }

  private static Instant time(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}

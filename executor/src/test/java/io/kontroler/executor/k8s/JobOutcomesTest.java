package io.kontroler.executor.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.kontroler.core.run.FailureKind;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobOutcomesTest {
  private static final Job ACTIVE =
      new JobBuilder().withNewMetadata().withName("j").endMetadata().build();

  @Test
  void aJobWithoutPodsIsQueuedAndAMissingJobIsLostUnlessKilled() {
    assertThat(JobOutcomes.of(ACTIVE, List.of(), false).phase()).isEqualTo(Phase.Queued);
    assertThat(JobOutcomes.of(null, List.of(), false).failureKind()).isEqualTo(FailureKind.LOST);
    assertThat(JobOutcomes.of(null, List.of(), true).failureKind()).isEqualTo(FailureKind.KILLED);
  }

  @Test
  void aPodStillCreatingItsContainerIsQueued() {
    Pod pod = pod("Pending", null, waiting("task", "ContainerCreating"), false);
    assertThat(JobOutcomes.of(ACTIVE, List.of(pod), false).phase()).isEqualTo(Phase.Queued);
  }

  @Test
  void anInitContainerThatCannotPullItsImageNeverStarts() {
    Pod pod = pod("Pending", null, waiting("init", "ImagePullBackOff"), true);
    PhaseInfo phase = JobOutcomes.of(ACTIVE, List.of(pod), false);
    assertThat(phase.failureKind()).isEqualTo(FailureKind.NEVER_STARTED);
  }

  @Test
  void anOutOfMemoryKillIsAnExitWithItsCodeAndReason() {
    Pod pod = pod("Failed", null, terminated(137, "OOMKilled"), false);
    PhaseInfo phase = JobOutcomes.of(ACTIVE, List.of(pod), false);
    assertThat(phase.failureKind()).isEqualTo(FailureKind.EXITED);
    assertThat(phase.exitCode()).isEqualTo(137);
    assertThat(phase.message()).contains("OOMKilled");
  }

  @Test
  void aDeadlineWinsOverTheExitCodeOfTheKilledContainer() {
    Job failed =
        new JobBuilder(ACTIVE)
            .withNewStatus()
            .addNewCondition()
            .withType("Failed")
            .withStatus("True")
            .withReason("DeadlineExceeded")
            .endCondition()
            .endStatus()
            .build();
    Pod pod = pod("Failed", null, terminated(137, "Error"), false);
    assertThat(JobOutcomes.of(failed, List.of(pod), false).failureKind())
        .isEqualTo(FailureKind.TIMED_OUT);
  }

  @Test
  void aContainerThatEndedInARunningPodIsStillRunning() {
    Pod pod = pod("Running", null, terminated(0, "Completed"), false);
    assertThat(JobOutcomes.of(ACTIVE, List.of(pod), false).phase()).isEqualTo(Phase.Running);
  }

  @Test
  void aCompletedJobWithOutputsWaitsForItsPodsStatusAndIsLostWithoutItsPod() {
    Job complete =
        new JobBuilder()
            .withNewMetadata()
            .withName("j")
            .addToAnnotations(JobSpecs.OUTPUTS_ANNOTATION, "count,items")
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Complete")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build();
    Pod stillRunning = pod("Running", null, waiting("task", "ContainerCreating"), false);
    ContainerStatus done = terminated(0, "Completed");
    done.getState().getTerminated().setMessage("kontroler-outputs 1 2\ncount 2\n3\nitems -\n");
    Pod succeeded = pod("Succeeded", null, done, false);

    assertThat(JobOutcomes.declaredOutputs(complete)).containsExactly("count", "items");
    assertThat(JobOutcomes.of(complete, List.of(stillRunning), false).phase())
        .isEqualTo(Phase.Running);
    PhaseInfo lost = JobOutcomes.of(complete, List.of(), false);
    assertThat(lost.failureKind()).isEqualTo(FailureKind.LOST);
    assertThat(lost.message()).contains("outputs");
    PhaseInfo ended = JobOutcomes.of(complete, List.of(succeeded), false);
    assertThat(ended.phase()).isEqualTo(Phase.Succeeded);
    assertThat(ended.outputs())
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("count", "3", "items", ""));
  }

  private static Pod pod(String phase, String reason, ContainerStatus status, boolean init) {
    PodBuilder builder =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withCreationTimestamp("2026-01-01T00:00:00Z")
            .endMetadata();
    if (init) {
      return builder
          .withNewStatus()
          .withPhase(phase)
          .withReason(reason)
          .withInitContainerStatuses(status)
          .endStatus()
          .build();
    }
    return builder
        .withNewStatus()
        .withPhase(phase)
        .withReason(reason)
        .withContainerStatuses(status)
        .endStatus()
        .build();
  }

  private static ContainerStatus waiting(String name, String reason) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .endWaiting()
        .endState()
        .build();
  }

  private static ContainerStatus terminated(int code, String reason) {
    return new ContainerStatusBuilder()
        .withName("task")
        .withNewState()
        .withNewTerminated()
        .withExitCode(code)
        .withReason(reason)
        .endTerminated()
        .endState()
        .build();
  }
}

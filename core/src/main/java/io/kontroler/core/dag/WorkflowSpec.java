package io.kontroler.core.dag;

import java.util.List;
import java.util.Objects;

/**
 * The Kopf workflow operator's format: steps with {@code dependsOn}, and a per-step timeout ({@code
 * maxStepTimeout} seconds, default 60, -1 for none).
 */
public record WorkflowSpec(long maxStepTimeout, List<Step> containers) {

  public static final long DEFAULT_MAX_STEP_TIMEOUT = 60;

  public WorkflowSpec {
    containers = List.copyOf(Objects.requireNonNullElse(containers, List.of()));
  }

  /** One step; a null {@code command} runs the image's own entrypoint. */
  public record Step(String stepName, String image, List<String> command, List<String> dependsOn) {
    public Step {
      stepName = stepName == null ? "" : stepName;
      command = command == null ? null : List.copyOf(command);
      dependsOn = List.copyOf(Objects.requireNonNullElse(dependsOn, List.of()));
    }
  }

  /** The DAG this workflow runs as: one task per step, no retries, the step timeout as deadline. */
  public DagSpec toDag() {
    Long deadline = maxStepTimeout < 0 ? null : maxStepTimeout;
    List<TaskSpec> tasks =
        containers.stream()
            .map(
                step ->
                    new TaskSpec(
                        step.stepName(),
                        step.image(),
                        step.command(),
                        List.of(),
                        null,
                        step.dependsOn(),
                        Backoff.NONE,
                        Conditional.DISABLED,
                        List.of(),
                        PodTemplate.EMPTY.withActiveDeadlineSeconds(deadline),
                        null))
            .toList();
    return DagSpec.of(tasks);
  }
}

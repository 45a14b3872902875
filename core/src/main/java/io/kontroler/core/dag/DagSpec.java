package io.kontroler.core.dag;

import java.util.List;
import java.util.Objects;

/**
 * The spec of a DAG, field for field as the {@code kontroler.greedykomodo/v1alpha1} resource, plus
 * the scheduling options Kontroler adds ({@code timezone}, {@code concurrencyPolicy}, {@code
 * startingDeadlineSeconds}).
 */
public record DagSpec(
    String schedule,
    List<TaskSpec> task,
    List<ParameterSpec> parameters,
    Webhook webhook,
    Workspace workspace,
    boolean suspended,
    String timezone,
    ConcurrencyPolicy concurrencyPolicy,
    Long startingDeadlineSeconds) {

  public DagSpec {
    schedule = schedule == null ? "" : schedule;
    task = List.copyOf(Objects.requireNonNullElse(task, List.of()));
    parameters = List.copyOf(Objects.requireNonNullElse(parameters, List.of()));
    concurrencyPolicy = Objects.requireNonNullElse(concurrencyPolicy, ConcurrencyPolicy.Allow);
  }

  public static DagSpec of(List<TaskSpec> tasks) {
    return new DagSpec("", tasks, List.of(), null, null, false, null, null, null);
  }

  public DagSpec withTasks(List<TaskSpec> tasks) {
    return new DagSpec(
        schedule,
        tasks,
        parameters,
        webhook,
        workspace,
        suspended,
        timezone,
        concurrencyPolicy,
        startingDeadlineSeconds);
  }

  public DagSpec withParameters(List<ParameterSpec> value) {
    return new DagSpec(
        schedule,
        task,
        value,
        webhook,
        workspace,
        suspended,
        timezone,
        concurrencyPolicy,
        startingDeadlineSeconds);
  }

  public DagSpec withSuspended(boolean value) {
    return new DagSpec(
        schedule,
        task,
        parameters,
        webhook,
        workspace,
        value,
        timezone,
        concurrencyPolicy,
        startingDeadlineSeconds);
  }

  /** The spec as it defines behaviour of runs: {@code suspended} does not make a new version. */
  public DagSpec versionedPart() {
    return withSuspended(false);
  }

  public boolean workspaceEnabled() {
    return workspace != null && workspace.enable();
  }
}

package io.kontroler.core.dag;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * The spec of a DAG, field for field as the {@code kontroler.greedykomodo/v1alpha1} resource, plus
 * the scheduling options Kontroler adds ({@code timezone}, {@code concurrencyPolicy}, {@code
 * startingDeadlineSeconds}), {@code onExit}: tasks that run once every task of {@code task} is
 * final, whatever the outcome (left out of the JSON when there are none), and {@code
 * maxActiveRuns}: at most that many runs of the DAG active at once, the rest waiting in the order
 * they were requested (null: no limit; left out of the JSON then), and {@code sla}: the deadlines
 * of its runs and task attempts (null for none).
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
    Long startingDeadlineSeconds,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TaskSpec> onExit,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxActiveRuns,
    @JsonInclude(JsonInclude.Include.NON_NULL) Sla sla) {

  public DagSpec {
    schedule = schedule == null ? "" : schedule;
    task = List.copyOf(Objects.requireNonNullElse(task, List.of()));
    parameters = List.copyOf(Objects.requireNonNullElse(parameters, List.of()));
    concurrencyPolicy = Objects.requireNonNullElse(concurrencyPolicy, ConcurrencyPolicy.Allow);
    onExit = List.copyOf(Objects.requireNonNullElse(onExit, List.of()));
  }

  /** A DAG with no limit on its active runs and no SLA. */
  public DagSpec(
      String schedule,
      List<TaskSpec> task,
      List<ParameterSpec> parameters,
      Webhook webhook,
      Workspace workspace,
      boolean suspended,
      String timezone,
      ConcurrencyPolicy concurrencyPolicy,
      Long startingDeadlineSeconds,
      List<TaskSpec> onExit) {
    this(
        schedule,
        task,
        parameters,
        webhook,
        workspace,
        suspended,
        timezone,
        concurrencyPolicy,
        startingDeadlineSeconds,
        onExit,
        null,
        null);
  }

  /** A DAG as the original language wrote it, without exit tasks. */
  public DagSpec(
      String schedule,
      List<TaskSpec> task,
      List<ParameterSpec> parameters,
      Webhook webhook,
      Workspace workspace,
      boolean suspended,
      String timezone,
      ConcurrencyPolicy concurrencyPolicy,
      Long startingDeadlineSeconds) {
    this(
        schedule,
        task,
        parameters,
        webhook,
        workspace,
        suspended,
        timezone,
        concurrencyPolicy,
        startingDeadlineSeconds,
        List.of());
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
        startingDeadlineSeconds,
        onExit,
        maxActiveRuns,
        sla);
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
        startingDeadlineSeconds,
        onExit,
        maxActiveRuns,
        sla);
  }

  public DagSpec withOnExit(List<TaskSpec> value) {
    return new DagSpec(
        schedule,
        task,
        parameters,
        webhook,
        workspace,
        suspended,
        timezone,
        concurrencyPolicy,
        startingDeadlineSeconds,
        value,
        maxActiveRuns,
        sla);
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
        startingDeadlineSeconds,
        onExit,
        maxActiveRuns,
        sla);
  }

  public DagSpec withSla(Sla value) {
    return new DagSpec(
        schedule,
        task,
        parameters,
        webhook,
        workspace,
        suspended,
        timezone,
        concurrencyPolicy,
        startingDeadlineSeconds,
        onExit,
        maxActiveRuns,
        value);
  }

  public DagSpec withMaxActiveRuns(Integer value) {
    return new DagSpec(
        schedule,
        task,
        parameters,
        webhook,
        workspace,
        suspended,
        timezone,
        concurrencyPolicy,
        startingDeadlineSeconds,
        onExit,
        value,
        sla);
  }

  /** The spec as it defines behaviour of runs: {@code suspended} does not make a new version. */
  public DagSpec versionedPart() {
    return withSuspended(false);
  }

  public boolean workspaceEnabled() {
    return workspace != null && workspace.enable();
  }
}

package io.kontroler.core.run;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Holds one run in memory, applies events through the machine and records what came out. */
final class RunHarness {
  static final String DAG = "default/test";
  static final String RUN = "r-17";

  final DagPlan plan;
  final Map<String, TaskState> tasks = new HashMap<>();
  final List<RunCommand> commands = new ArrayList<>();
  final List<RunEvent> applied = new ArrayList<>();
  RunState run;
  Rejection lastRejection;
  private long clock = 1_700_000_000_000L;

  RunHarness(DagSpec spec) {
    this(spec, RunLimits.DEFAULT);
  }

  RunHarness(DagSpec spec, RunLimits limits) {
    this.plan = DagPlan.of(DAG, 1, spec, limits);
  }

  static RunHarness of(TaskSpec... tasks) {
    return new RunHarness(DagSpec.of(List.of(tasks)));
  }

  static TaskSpec task(String name, String... after) {
    return TaskSpec.of(name, "alpine:3", List.of("true"), List.of(after));
  }

  Instant tick() {
    clock += 1000;
    return Instant.ofEpochMilli(clock);
  }

  Transition apply(RunEvent event) {
    Transition t = RunMachine.apply(plan, run, tasks::get, event);
    applied.add(event);
    lastRejection = t.rejection();
    if (t.run() != null) {
      run = t.run();
    }
    t.changedTasks().forEach(s -> tasks.put(s.name(), s));
    commands.addAll(t.commands());
    return t;
  }

  RunHarness start() {
    return start(Map.of());
  }

  RunHarness start(Map<String, ParameterValue> params) {
    apply(new RunEvent.RunRequested(RUN, DAG, 1, "run", params, tick()));
    return this;
  }

  Transition succeed(String task) {
    return apply(new RunEvent.TaskSucceeded(RUN, DAG, task, attempt(task), tick()));
  }

  Transition succeed(String task, Map<String, String> outputs) {
    return apply(new RunEvent.TaskSucceeded(RUN, DAG, task, attempt(task), tick(), outputs));
  }

  Transition cancel() {
    return apply(new RunEvent.CancelRequested(RUN, DAG, "stop", tick()));
  }

  Transition startTask(String task) {
    return apply(new RunEvent.TaskStarted(RUN, DAG, task, attempt(task), tick()));
  }

  Transition fail(String task, int exitCode) {
    return apply(
        new RunEvent.TaskFailed(
            RUN,
            DAG,
            task,
            attempt(task),
            exitCode,
            FailureKind.EXITED,
            "exit " + exitCode,
            tick()));
  }

  Transition fail(String task, FailureKind kind) {
    return apply(
        new RunEvent.TaskFailed(RUN, DAG, task, attempt(task), null, kind, kind.name(), tick()));
  }

  int attempt(String task) {
    return tasks.get(task).attempt();
  }

  TaskPhase phase(String task) {
    return tasks.get(task).phase();
  }

  /** Task names in the order their launches were sent. */
  List<String> launched() {
    return commands.stream()
        .filter(c -> c instanceof LaunchTask)
        .map(c -> ((LaunchTask) c).task())
        .toList();
  }

  List<LaunchTask> launches() {
    return commands.stream().filter(c -> c instanceof LaunchTask).map(c -> (LaunchTask) c).toList();
  }

  /** Launches not yet answered: the tasks that are queued or running now. */
  List<String> active() {
    return tasks.values().stream()
        .filter(t -> t.phase().isActive())
        .map(TaskState::name)
        .sorted()
        .toList();
  }

  /** Instances ({@code task[i]}) queued or running now, in index order (one forEach task). */
  List<String> activeInstances() {
    return tasks.values().stream()
        .filter(t -> t.phase().isActive() && Instances.index(t.name()) >= 0)
        .map(TaskState::name)
        .sorted(java.util.Comparator.comparingInt(Instances::index))
        .toList();
  }

  Rejection lastRejection() {
    return lastRejection;
  }

  List<TaskPhaseChanged> taskChanges() {
    return commands.stream()
        .filter(c -> c instanceof TaskPhaseChanged)
        .map(c -> (TaskPhaseChanged) c)
        .toList();
  }
}

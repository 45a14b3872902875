package io.kontroler.core.run;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.lang.Condition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated DAG version compiled for running: tasks by index, upstream and downstream adjacency,
 * and each task's {@code when} compiled. The main tasks ({@code spec.task}) come first, the exit
 * tasks ({@code spec.onExit}) after them; edges stay within each group. Built once per DAG version
 * and shared by all its runs.
 */
public final class DagPlan {
  private final String dag;
  private final int version;
  private final DagSpec spec;
  private final List<TaskSpec> tasks;
  private final int mainSize;
  private final Map<String, Integer> index;
  private final int[][] upstream;
  private final int[][] downstream;
  private final Condition[] conditions;
  private final boolean tallies;
  private final RunLimits limits;
  private final ItemsCache itemsCache = new ItemsCache();

  private DagPlan(String dag, int version, DagSpec spec, RunLimits limits) {
    this.dag = dag;
    this.limits = limits;
    this.version = version;
    this.spec = spec;
    this.tasks = new ArrayList<>(spec.task().size() + spec.onExit().size());
    tasks.addAll(spec.task());
    tasks.addAll(spec.onExit());
    this.mainSize = spec.task().size();
    this.index = new HashMap<>(tasks.size() * 2);
    for (int i = 0; i < tasks.size(); i++) {
      index.put(tasks.get(i).name(), i);
    }
    this.upstream = new int[tasks.size()][];
    this.conditions = new Condition[tasks.size()];
    List<List<Integer>> down = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      down.add(new ArrayList<>(2));
    }
    for (int i = 0; i < tasks.size(); i++) {
      List<String> after = tasks.get(i).runAfter();
      upstream[i] = new int[after.size()];
      for (int k = 0; k < after.size(); k++) {
        Integer u = index.get(after.get(k));
        if (u == null || isExit(u) != isExit(i)) {
          throw new IllegalArgumentException(
              "Expected a validated DAG, but task '"
                  + tasks.get(i).name()
                  + "' runs after "
                  + (u == null ? "unknown" : "a task of the other group,")
                  + " '"
                  + after.get(k)
                  + "'");
        }
        upstream[i][k] = u;
        down.get(u).add(i);
      }
      String when = tasks.get(i).when();
      conditions[i] = when == null || when.isBlank() ? null : Condition.compile(when);
    }
    this.tallies = mainSize < tasks.size() || tasks.stream().anyMatch(TaskSpec::allowFailure);
    this.downstream = new int[tasks.size()][];
    for (int i = 0; i < tasks.size(); i++) {
      downstream[i] = down.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** Compiles a DAG spec that has passed validation (task references resolved). */
  public static DagPlan of(String dag, int version, DagSpec spec) {
    return new DagPlan(dag, version, spec, RunLimits.DEFAULT);
  }

  /** The same, with the scheduler's limits on fan-outs and sub-DAG depth. */
  public static DagPlan of(String dag, int version, DagSpec spec, RunLimits limits) {
    return new DagPlan(dag, version, spec, limits);
  }

  public RunLimits limits() {
    return limits;
  }

  ItemsCache itemsCache() {
    return itemsCache;
  }

  /**
   * The index of the task whose spec {@code name} runs: the task itself, or the {@code forEach}
   * task of an instance {@code task[i]}; -1 when none.
   */
  public int specIndexOf(String name) {
    int i = indexOf(name);
    if (i >= 0 || Instances.index(name) < 0) {
      return i;
    }
    int group = indexOf(Instances.group(name));
    return group >= 0 && tasks.get(group).fansOut() ? group : -1;
  }

  /** Whether {@code name} is an instance of a {@code forEach} task of this plan. */
  public boolean isInstance(String name) {
    return indexOf(name) < 0 && specIndexOf(name) >= 0;
  }

  public String dag() {
    return dag;
  }

  public int version() {
    return version;
  }

  public DagSpec spec() {
    return spec;
  }

  /** All tasks, main and exit. */
  public int size() {
    return upstream.length;
  }

  /** The main tasks: indexes {@code 0 .. mainSize() - 1}. */
  public int mainSize() {
    return mainSize;
  }

  /** Whether task {@code i} is an exit task ({@code spec.onExit}). */
  public boolean isExit(int i) {
    return i >= mainSize;
  }

  public TaskSpec task(int i) {
    return tasks.get(i);
  }

  public String name(int i) {
    return tasks.get(i).name();
  }

  /** The index of {@code task}, or -1 when the DAG has no such task. */
  public int indexOf(String task) {
    return index.getOrDefault(task, -1);
  }

  /**
   * Whether runs of this plan count exit tasks or allowed failures (it has exit tasks, or a task
   * with {@code allowFailure}); when not, those counters stay 0 and need no lookup per change.
   */
  boolean tallies() {
    return tallies;
  }

  /** The compiled {@code when} of task {@code i}, or null when it has none. */
  Condition condition(int i) {
    return conditions[i];
  }

  int[] upstreamOf(int i) {
    return upstream[i];
  }

  int[] downstreamOf(int i) {
    return downstream[i];
  }
}

package io.kontroler.core.run;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated DAG version compiled for running: tasks by index, upstream and downstream adjacency.
 * Built once per DAG version and shared by all its runs.
 */
public final class DagPlan {
  private final String dag;
  private final int version;
  private final DagSpec spec;
  private final Map<String, Integer> index;
  private final int[][] upstream;
  private final int[][] downstream;

  private DagPlan(String dag, int version, DagSpec spec) {
    this.dag = dag;
    this.version = version;
    this.spec = spec;
    List<TaskSpec> tasks = spec.task();
    this.index = new HashMap<>(tasks.size() * 2);
    for (int i = 0; i < tasks.size(); i++) {
      index.put(tasks.get(i).name(), i);
    }
    this.upstream = new int[tasks.size()][];
    List<List<Integer>> down = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      down.add(new ArrayList<>(2));
    }
    for (int i = 0; i < tasks.size(); i++) {
      List<String> after = tasks.get(i).runAfter();
      upstream[i] = new int[after.size()];
      for (int k = 0; k < after.size(); k++) {
        Integer u = index.get(after.get(k));
        if (u == null) {
          throw new IllegalArgumentException(
              "Expected a validated DAG, but task '"
                  + tasks.get(i).name()
                  + "' runs after unknown '"
                  + after.get(k)
                  + "'");
        }
        upstream[i][k] = u;
        down.get(u).add(i);
      }
    }
    this.downstream = new int[tasks.size()][];
    for (int i = 0; i < tasks.size(); i++) {
      downstream[i] = down.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** Compiles a DAG spec that has passed validation (task references resolved). */
  public static DagPlan of(String dag, int version, DagSpec spec) {
    return new DagPlan(dag, version, spec);
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

  public int size() {
    return upstream.length;
  }

  public TaskSpec task(int i) {
    return spec.task().get(i);
  }

  public String name(int i) {
    return spec.task().get(i).name();
  }

  /** The index of {@code task}, or -1 when the DAG has no such task. */
  public int indexOf(String task) {
    return index.getOrDefault(task, -1);
  }

  int[] upstreamOf(int i) {
    return upstream[i];
  }

  int[] downstreamOf(int i) {
    return downstream[i];
  }
}

package io.kontroler.core.validate;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks of sub-DAG tasks ({@code dagRef}): a body without image, command or script, a DAG name,
 * and no cycle of DAG references where the whole cycle is known (a DAG naming itself, or DAGs of
 * one document set naming each other). Cycles through DAGs not known here are caught at run time by
 * the depth limit.
 */
final class SubDags {
  private SubDags() {}

  static void checkBody(TaskSpec task, String at, List<Problem> problems) {
    String who = "task '" + task.name() + "'";
    if (task.image() != null || task.command() != null || task.script() != null) {
      problems.add(
          new Problem(at + ".dagRef", who + " has a dagRef and an image, command or script"));
    }
    if (task.isReference()) {
      problems.add(new Problem(at + ".dagRef", who + " has both a dagRef and a taskRef"));
    }
    if (task.fansOut()) {
      problems.add(new Problem(at + ".dagRef", who + " has both a dagRef and a forEach"));
    }
    if (task.dagRef().name().isBlank()) {
      problems.add(new Problem(at + ".dagRef.name", who + " names no DAG"));
    } else {
      Names.checkTaskName(at + ".dagRef.name", task.dagRef().name(), problems);
    }
  }

  /** A DAG whose task runs the DAG itself. */
  static void checkSelfReference(String dag, DagSpec spec, List<Problem> problems) {
    List<TaskSpec> tasks = allTasks(spec);
    for (int i = 0; i < tasks.size(); i++) {
      TaskSpec task = tasks.get(i);
      if (task.runsDag() && task.dagRef().name().equals(dag)) {
        problems.add(
            new Problem(
                path(spec, i) + ".dagRef.name",
                "task '" + task.name() + "' runs DAG '" + dag + "' itself: a cycle of sub-DAGs"));
      }
    }
  }

  /**
   * The DAGs of {@code dags} (by {@code namespace/name}) that are on a cycle of {@code dagRef}s
   * through other DAGs of {@code dags}, each with the cycle in words; self-references are left to
   * {@link #checkSelfReference}.
   */
  static Map<String, String> cycles(Map<String, DagSpec> dags) {
    Map<String, Set<String>> edges = new HashMap<>();
    dags.forEach(
        (key, spec) -> {
          String namespace = key.substring(0, key.indexOf('/') + 1);
          Set<String> refs = new HashSet<>();
          for (TaskSpec t : allTasks(spec)) {
            String target = t.runsDag() ? namespace + t.dagRef().name() : key;
            if (t.runsDag() && !target.equals(key) && dags.containsKey(target)) {
              refs.add(target);
            }
          }
          edges.put(key, refs);
        });
    Map<String, String> onCycle = new HashMap<>();
    for (String start : dags.keySet()) {
      List<String> path = findPath(start, start, edges, new HashSet<>());
      if (path != null) {
        onCycle.put(start, String.join(" -> ", path));
      }
    }
    return onCycle;
  }

  /** A path of references from {@code from} back to {@code target}, or null. */
  private static List<String> findPath(
      String from, String target, Map<String, Set<String>> edges, Set<String> seen) {
    for (String next : edges.getOrDefault(from, Set.of())) {
      if (next.equals(target)) {
        return new ArrayList<>(List.of(from, next));
      }
      if (seen.add(next)) {
        List<String> rest = findPath(next, target, edges, seen);
        if (rest != null) {
          rest.add(0, from);
          return rest;
        }
      }
    }
    return null;
  }

  private static List<TaskSpec> allTasks(DagSpec spec) {
    List<TaskSpec> all = new ArrayList<>(spec.task());
    all.addAll(spec.onExit());
    return all;
  }

  private static String path(DagSpec spec, int i) {
    return i < spec.task().size()
        ? "spec.task[" + i + "]"
        : "spec.onExit[" + (i - spec.task().size()) + "]";
  }
}

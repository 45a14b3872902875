package io.kontroler.core.validate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the shape of a dependency graph given as node names and, per node, the names it runs
 * after: empty and duplicate names, unknown and self dependencies, no root, and cycles (each cycle
 * listed with its nodes in order).
 */
final class Graphs {
  private Graphs() {}

  static void check(
      List<String> names,
      List<List<String>> upstream,
      String listPath,
      String depField,
      List<Problem> problems) {
    check(names, upstream, listPath, depField, Set.of(), problems);
  }

  /** The same, with the dependencies named in {@code reported} skipped: they were reported. */
  static void check(
      List<String> names,
      List<List<String>> upstream,
      String listPath,
      String depField,
      Set<String> reported,
      List<Problem> problems) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String at = listPath + "[" + i + "]";
      if (DagValidator.blank(name)) {
        problems.add(new Problem(at + ".name", "empty name"));
        continue;
      }
      Integer first = index.putIfAbsent(name, i);
      if (first != null) {
        problems.add(
            new Problem(
                at + ".name",
                "duplicate name '" + name + "' (first at " + listPath + "[" + first + "])"));
      }
    }
    List<List<Integer>> edges = new ArrayList<>();
    boolean hasRoot = false;
    for (int i = 0; i < names.size(); i++) {
      List<Integer> targets = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      List<String> deps = upstream.get(i);
      for (int k = 0; k < deps.size(); k++) {
        String dep = deps.get(k);
        String at = listPath + "[" + i + "]." + depField + "[" + k + "]";
        String who = "'" + names.get(i) + "'";
        if (reported.contains(dep)) {
          continue;
        } else if (dep.equals(names.get(i))) {
          problems.add(new Problem(at, who + " depends on itself"));
        } else if (!index.containsKey(dep)) {
          problems.add(new Problem(at, who + " depends on unknown '" + dep + "'"));
        } else if (!seen.add(dep)) {
          problems.add(new Problem(at, who + " lists '" + dep + "' twice"));
        } else {
          targets.add(index.get(dep));
        }
      }
      hasRoot |= deps.stream().allMatch(reported::contains);
      edges.add(targets);
    }
    if (!names.isEmpty() && !hasRoot) {
      problems.add(
          new Problem(listPath, "no root: every entry depends on another, so nothing can start"));
    }
    for (List<Integer> cycle : cycles(edges)) {
      StringBuilder text = new StringBuilder(names.get(cycle.get(0)));
      for (int k = cycle.size() - 1; k >= 0; k--) {
        text.append(" -> ").append(names.get(cycle.get(k)));
      }
      problems.add(
          new Problem(
              listPath + "[" + cycle.get(0) + "]." + depField,
              "cycle: " + text + " (each runs before the next)"));
    }
  }

  /**
   * One cycle per strongly connected component of more than one node (Tarjan, iterative), in
   * dependency order starting from the component's first node by index.
   */
  static List<List<Integer>> cycles(List<List<Integer>> edges) {
    int n = edges.size();
    int[] low = new int[n];
    int[] order = new int[n];
    boolean[] onStack = new boolean[n];
    java.util.Arrays.fill(order, -1);
    Deque<Integer> stack = new ArrayDeque<>();
    List<List<Integer>> result = new ArrayList<>();
    int counter = 0;
    for (int start = 0; start < n; start++) {
      if (order[start] != -1) {
        continue;
      }
      Deque<int[]> work = new ArrayDeque<>();
      work.push(new int[] {start, 0});
      order[start] = low[start] = counter++;
      stack.push(start);
      onStack[start] = true;
      while (!work.isEmpty()) {
        int[] frame = work.peek();
        int v = frame[0];
        if (frame[1] < edges.get(v).size()) {
          int w = edges.get(v).get(frame[1]++);
          if (order[w] == -1) {
            order[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = true;
            work.push(new int[] {w, 0});
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], order[w]);
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          int parent = work.peek()[0];
          low[parent] = Math.min(low[parent], low[v]);
        }
        if (low[v] == order[v]) {
          Set<Integer> component = new HashSet<>();
          int w;
          do {
            w = stack.pop();
            onStack[w] = false;
            component.add(w);
          } while (w != v);
          if (component.size() > 1) {
            result.add(cycleIn(component, edges));
          }
        }
      }
    }
    result.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
    return result;
  }

  /** A simple cycle through the component's smallest node, found by BFS back to it. */
  private static List<Integer> cycleIn(Set<Integer> component, List<List<Integer>> edges) {
    int start = component.stream().min(Integer::compare).orElseThrow();
    Map<Integer, Integer> previous = new HashMap<>();
    Deque<Integer> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      int v = queue.poll();
      for (int w : edges.get(v)) {
        if (!component.contains(w)) {
          continue;
        }
        if (w == start) {
          List<Integer> cycle = new ArrayList<>();
          for (Integer at = v; at != null; at = previous.get(at)) {
            cycle.add(0, at);
          }
          return cycle;
        }
        if (!previous.containsKey(w) && w != start) {
          previous.put(w, v);
          queue.add(w);
        }
      }
    }
    return List.of(start);
  }
}

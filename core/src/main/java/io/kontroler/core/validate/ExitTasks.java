package io.kontroler.core.validate;

import io.kontroler.core.dag.TaskSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what is particular to exit tasks ({@code spec.onExit}): their names are not those of main
 * tasks, and they run after other exit tasks only (they start once every main task is final).
 */
final class ExitTasks {
  private ExitTasks() {}

  /**
   * Reports exit tasks named like a main task and {@code runAfter} entries that name a main task;
   * returns each exit task's {@code runAfter} without those entries, for the graph check.
   */
  static List<List<String>> check(
      List<String> mainNames, List<TaskSpec> onExit, List<Problem> problems) {
    Map<String, Integer> main = new HashMap<>();
    for (int i = 0; i < mainNames.size(); i++) {
      main.putIfAbsent(mainNames.get(i), i);
    }
    List<List<String>> afters = new ArrayList<>(onExit.size());
    for (int i = 0; i < onExit.size(); i++) {
      TaskSpec exit = onExit.get(i);
      String at = "spec.onExit[" + i + "]";
      Integer same = main.get(exit.name());
      if (same != null) {
        problems.add(
            new Problem(
                at + ".name",
                "duplicate name '"
                    + exit.name()
                    + "' (also at spec.task["
                    + same
                    + "]): exit tasks and main tasks share one namespace of names"));
      }
      List<String> kept = new ArrayList<>();
      for (int k = 0; k < exit.runAfter().size(); k++) {
        String dep = exit.runAfter().get(k);
        Integer target = main.get(dep);
        if (target != null && !dep.equals(exit.name())) {
          problems.add(
              new Problem(
                  at + ".runAfter[" + k + "]",
                  "exit task '"
                      + exit.name()
                      + "' runs after main task '"
                      + dep
                      + "' (spec.task["
                      + target
                      + "]): an exit task may only run after other exit tasks; it starts once"
                      + " every main task is final"));
        } else {
          kept.add(dep);
        }
      }
      afters.add(kept);
    }
    return afters;
  }
}

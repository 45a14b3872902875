package io.kontroler.core.validate;

import io.kontroler.core.dag.TaskSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what is particular to exit tasks ({@code spec.onExit}): their names are not those of main
 * tasks, and they run after other exit tasks only (they start once every main task is final).
 */
final class ExitTasks {
  private ExitTasks() {}

  /**
   * Reports exit tasks named like a main task and {@code runAfter} entries that name a main task;
   * returns the names of the main tasks, for the graph check to skip.
   */
  static Set<String> check(List<String> mainNames, List<TaskSpec> onExit, List<Problem> problems) {
    Map<String, Integer> main = new HashMap<>();
    for (int i = 0; i < mainNames.size(); i++) {
      main.putIfAbsent(mainNames.get(i), i);
    }
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
        }
      }
    }
    return main.keySet();
  }
}

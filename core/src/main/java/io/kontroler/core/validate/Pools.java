package io.kontroler.core.validate;

import io.kontroler.core.dag.TaskSpec;
import java.util.List;

/**
 * Checks of a task's shared pool ({@code pool}): a DNS-1123 label, on a task that runs a container
 * (inline or through a taskRef). An approval task holds nothing while it waits for a person, and a
 * dagRef task's child run has tasks of its own that may name pools: neither may take a slot.
 */
final class Pools {
  private Pools() {}

  static void check(TaskSpec task, String at, List<Problem> problems) {
    if (!task.usesPool()) {
      return;
    }
    String who = "task '" + task.name() + "'";
    if (!Names.isLabel(task.pool())) {
      problems.add(
          new Problem(
              at + ".pool",
              "expected a pool name that is a DNS-1123 label (at most 63 of a-z, 0-9 and '-',"
                  + " starting and ending with a letter or digit), but got '"
                  + task.pool()
                  + "'"));
    }
    if (task.awaitsApproval()) {
      problems.add(
          new Problem(
              at + ".pool", who + " has an approval and a pool: a pool is for tasks that run"));
    }
    if (task.runsDag()) {
      problems.add(
          new Problem(
              at + ".pool",
              who + " has a dagRef and a pool: give the child DAG's tasks the pool instead"));
    }
  }
}

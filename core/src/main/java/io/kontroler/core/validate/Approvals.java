package io.kontroler.core.validate;

import io.kontroler.core.dag.TaskSpec;
import java.util.List;

/**
 * Checks of approval tasks ({@code approval}): no image, command, script, taskRef, dagRef or
 * forEach; at least one approver; a timeout of more than 0 seconds.
 */
final class Approvals {
  private Approvals() {}

  static void checkBody(TaskSpec task, String at, List<Problem> problems) {
    String who = "task '" + task.name() + "'";
    if (task.image() != null || task.command() != null || task.script() != null) {
      problems.add(
          new Problem(at + ".approval", who + " has an approval and an image, command or script"));
    }
    if (task.isReference() || task.runsDag() || task.fansOut()) {
      problems.add(
          new Problem(at + ".approval", who + " has an approval and a taskRef, dagRef or forEach"));
    }
    if (task.approval().approvers().isEmpty()
        || task.approval().approvers().stream().anyMatch(a -> a == null || a.isBlank())) {
      problems.add(
          new Problem(
              at + ".approval.approvers",
              "expected at least one user or role name, and no blank one"));
    }
    if (task.approval().timeoutSeconds() <= 0) {
      problems.add(
          new Problem(
              at + ".approval.timeoutSeconds",
              "expected seconds > 0, but got " + task.approval().timeoutSeconds()));
    }
  }
}

package io.kontroler.core.run;

import java.util.List;
import java.util.Objects;

/**
 * The result of applying one event: the run's new state (null when no run exists), the task states
 * the event changed, the commands to carry out, and a rejection when the event changed nothing.
 */
public record Transition(
    RunState run, List<TaskState> changedTasks, List<RunCommand> commands, Rejection rejection) {

  public Transition {
    changedTasks = List.copyOf(Objects.requireNonNullElse(changedTasks, List.of()));
    commands = List.copyOf(Objects.requireNonNullElse(commands, List.of()));
  }

  static Transition rejected(RunState run, Rejection.Reason reason, String message) {
    return new Transition(run, List.of(), List.of(), new Rejection(reason, message));
  }

  public boolean isRejected() {
    return rejection != null;
  }
}

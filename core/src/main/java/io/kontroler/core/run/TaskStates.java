package io.kontroler.core.run;

/** Read access to the task states of one run; the adapter backs it by its store. */
@FunctionalInterface
public interface TaskStates {
  /** The state of {@code task}, or null when the run has none. */
  TaskState get(String task);
}

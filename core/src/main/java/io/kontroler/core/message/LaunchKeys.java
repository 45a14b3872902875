package io.kontroler.core.message;

/**
 * The keys of records on {@code kontroler.task-launches}. A LaunchTask and the KillTasks of its
 * attempts are keyed by run and task ({@code runId/task}), so that the executors' consumer group
 * shares the launches of one DAG (the instances of a {@code forEach} task spread over all workers)
 * while the kills of one task follow its launch to the same partition; ReleaseRun stays keyed by
 * the DAG. Executors answer on {@code kontroler.task-outcomes} keyed by the DAG, as before.
 */
public final class LaunchKeys {
  private LaunchKeys() {}

  /**
   * The key of the launches and kills of {@code task} (or an instance, {@code task[i]}) in a run.
   */
  public static String of(String runId, String task) {
    return runId + "/" + task;
  }
}

package io.kontroler.executor.backend;

import io.kontroler.core.run.RunCommand;
import io.kontroler.logstore.LogKey;

/** One attempt of one task of one run of a DAG ({@code namespace/name}). */
public record AttemptId(String runId, String dag, String task, int attempt) {

  public static AttemptId of(RunCommand.LaunchTask launch) {
    return new AttemptId(launch.runId(), launch.dag(), launch.task(), launch.attempt());
  }

  public static AttemptId of(RunCommand.KillTask kill) {
    return new AttemptId(kill.runId(), kill.dag(), kill.task(), kill.attempt());
  }

  /** Where the attempt's log is kept. */
  public LogKey logKey() {
    return new LogKey(runId, task, attempt);
  }

  /** The namespace part of the DAG key. */
  public String namespace() {
    int slash = dag.indexOf('/');
    return slash < 0 ? "default" : dag.substring(0, slash);
  }

  @Override
  public String toString() {
    return dag + "/" + runId + "/" + task + "#" + attempt;
  }
}

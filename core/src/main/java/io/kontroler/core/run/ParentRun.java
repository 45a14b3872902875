package io.kontroler.core.run;

/**
 * The run that started a child run through a {@code dagRef} task: attempt {@code attempt} of task
 * {@code task} of run {@code runId} of DAG {@code dag}. {@code depth} is the child's depth: 1 for
 * the child of a top-level run.
 */
public record ParentRun(String runId, String dag, String task, int attempt, int depth) {

  /**
   * The idempotency key of the child run this attempt requests: the same attempt, asked again after
   * a crash, names the same child run.
   */
  public static String childKey(String runId, String task, int attempt) {
    return "parent:" + runId + "/" + task + "#" + attempt;
  }
}

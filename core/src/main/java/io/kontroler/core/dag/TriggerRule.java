package io.kontroler.core.dag;

/**
 * When a task may start, given the outcomes of its upstream tasks (its {@code runAfter}). A task
 * without {@code trigger} follows {@link #allSucceeded}. Constant names are the YAML values.
 */
public enum TriggerRule {
  /** Every upstream task succeeded; Skipped as soon as one failed, was skipped or cancelled. */
  allSucceeded,
  /** Every upstream task is final, whatever the outcome. */
  allDone,
  /** Every upstream task failed; Skipped as soon as one ended otherwise. */
  allFailed,
  /** As soon as one upstream task failed; Skipped when all ended without a failure. */
  anyFailed,
  /** As soon as one upstream task succeeded; Skipped when all ended without a success. */
  anySucceeded,
  /** Every upstream task succeeded or was skipped; Skipped as soon as one failed. */
  noneFailed;

  /** The rule of a task: its own, or {@link #allSucceeded} when it has none. */
  public static TriggerRule orDefault(TriggerRule rule) {
    return rule == null ? allSucceeded : rule;
  }
}

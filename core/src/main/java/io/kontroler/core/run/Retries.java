package io.kontroler.core.run;

import io.kontroler.core.dag.TaskSpec;

/** Which failures may be retried, before the retry budget is counted. */
final class Retries {
  /**
   * Attempts of one retry budget that may be lost to the infrastructure (a stopped executor, an
   * evicted pod) and retried at once without counting against {@code backoff.limit}; a lost attempt
   * past these counts like any other failure.
   */
  static final int LOST_LIMIT = 3;

  private Retries() {}

  static boolean retryable(TaskSpec spec, Integer exitCode, FailureKind kind) {
    return switch (kind) {
      case NEVER_STARTED, KILLED, INVALID_OUTPUTS, REJECTED -> false;
      case LOST -> true;
      case TIMED_OUT -> !spec.conditional().enabled();
      case EXITED ->
          !spec.conditional().enabled()
              || (exitCode != null && spec.conditional().retryCodes().contains(exitCode));
    };
  }
}

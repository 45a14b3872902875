package io.kontroler.core.run;

import io.kontroler.core.dag.TaskSpec;

/** Which failures may be retried, before the retry budget is counted. */
final class Retries {
  private Retries() {}

  static boolean retryable(TaskSpec spec, Integer exitCode, FailureKind kind) {
    return switch (kind) {
      case NEVER_STARTED, KILLED -> false;
      case LOST -> true;
      case TIMED_OUT -> !spec.conditional().enabled();
      case EXITED ->
          !spec.conditional().enabled()
              || (exitCode != null && spec.conditional().retryCodes().contains(exitCode));
    };
  }
}

package io.kontroler.executor.backend;

import io.kontroler.core.run.FailureKind;
import java.time.Instant;
import java.util.Objects;

/**
 * The phase of an attempt with what explains it: the exit code and failure kind of a failure, a
 * message, and when the phase began (null when the backend does not know).
 */
public record PhaseInfo(
    Phase phase, Integer exitCode, FailureKind failureKind, String message, Instant at) {

  public PhaseInfo {
    Objects.requireNonNull(phase, "phase");
    if ((phase == Phase.RetryableFailure || phase == Phase.PermanentFailure)
        && failureKind == null) {
      throw new IllegalArgumentException("Expected a failure kind for " + phase);
    }
  }

  public static PhaseInfo queued(String message) {
    return new PhaseInfo(Phase.Queued, null, null, message, null);
  }

  public static PhaseInfo running(Instant at) {
    return new PhaseInfo(Phase.Running, null, null, null, at);
  }

  public static PhaseInfo succeeded(Instant at) {
    return new PhaseInfo(Phase.Succeeded, 0, null, null, at);
  }

  public static PhaseInfo notReady(String message) {
    return new PhaseInfo(Phase.NotReady, null, null, message, null);
  }

  /** A failure, retryable or not by its kind. */
  public static PhaseInfo failed(FailureKind kind, Integer exitCode, String message, Instant at) {
    Phase phase =
        kind == FailureKind.NEVER_STARTED || kind == FailureKind.KILLED
            ? Phase.PermanentFailure
            : Phase.RetryableFailure;
    return new PhaseInfo(phase, exitCode, kind, message, at);
  }

  public boolean isTerminal() {
    return phase.isTerminal();
  }
}

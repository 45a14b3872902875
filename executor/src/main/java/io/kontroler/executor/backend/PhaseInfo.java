package io.kontroler.executor.backend;

import io.kontroler.core.run.FailureKind;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The phase of an attempt with what explains it: the exit code and failure kind of a failure, a
 * message, when the phase began (null when the backend does not know), and the outputs a succeeded
 * attempt wrote (empty otherwise).
 */
public record PhaseInfo(
    Phase phase,
    Integer exitCode,
    FailureKind failureKind,
    String message,
    Instant at,
    Map<String, String> outputs) {

  public PhaseInfo(
      Phase phase, Integer exitCode, FailureKind failureKind, String message, Instant at) {
    this(phase, exitCode, failureKind, message, at, Map.of());
  }

  public PhaseInfo {
    Objects.requireNonNull(phase, "phase");
    outputs =
        Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNullElse(outputs, Map.of())));
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
    return succeeded(at, Map.of());
  }

  /** Exit 0 with the values the attempt wrote for its declared outputs. */
  public static PhaseInfo succeeded(Instant at, Map<String, String> outputs) {
    return new PhaseInfo(Phase.Succeeded, 0, null, null, at, outputs);
  }

  public static PhaseInfo notReady(String message) {
    return new PhaseInfo(Phase.NotReady, null, null, message, null);
  }

  /** A failure, retryable or not by its kind. */
  public static PhaseInfo failed(FailureKind kind, Integer exitCode, String message, Instant at) {
    Phase phase =
        kind == FailureKind.NEVER_STARTED
                || kind == FailureKind.KILLED
                || kind == FailureKind.INVALID_OUTPUTS
            ? Phase.PermanentFailure
            : Phase.RetryableFailure;
    return new PhaseInfo(phase, exitCode, kind, message, at);
  }

  public boolean isTerminal() {
    return phase.isTerminal();
  }
}

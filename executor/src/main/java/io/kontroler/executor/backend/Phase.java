package io.kontroler.executor.backend;

/**
 * Where an attempt stands in its backend, in the shape of Flyte's plugin phases. Retry decisions
 * stay with the scheduler; the split between the two failures only says what the backend knows.
 */
public enum Phase {
  /** Accepted, waiting for a node, an image, a process slot. */
  Queued,
  /** The task's container or process runs. */
  Running,
  /** Ended in a failure that a new attempt may not repeat (exit code, timeout, lost pod). */
  RetryableFailure,
  /** Ended in a failure that a new attempt would repeat (never started, killed). */
  PermanentFailure,
  Succeeded,
  /** Refused for now (a quota, no capacity): start it again later. */
  NotReady;

  public boolean isTerminal() {
    return this == RetryableFailure || this == PermanentFailure || this == Succeeded;
  }
}

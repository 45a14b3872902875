package io.kontroler.core.run;

/** An event the machine did not act on, as data: why, and a message naming the ids. */
public record Rejection(Reason reason, String message) {

  public enum Reason {
    UNKNOWN_RUN,
    DUPLICATE_RUN,
    UNKNOWN_TASK,
    STALE_ATTEMPT,
    DUPLICATE_OUTCOME,
    STALE_TIMER,
    RUN_FINISHED,
    NOT_RETRYABLE,
    INVALID_REQUEST,
    NOT_PAUSABLE,
    NOT_APPROVER
  }
}

package io.kontroler.core.run;

/** Why an attempt failed; decides whether it may be retried. */
public enum FailureKind {
  /** The container ran and exited with a non-zero code. */
  EXITED,
  /** The container never started (image pull or configuration error): not retried. */
  NEVER_STARTED,
  /** The attempt ran past its deadline. */
  TIMED_OUT,
  /** The attempt was stopped on request (a cancel): not retried. */
  KILLED,
  /** The pod was evicted or vanished: retried whatever the exit codes say. */
  LOST,
  /** The attempt exited 0 but its outputs broke the rules (over 4 KiB together): not retried. */
  INVALID_OUTPUTS,
  /** An approver rejected the approval task: not retried. */
  REJECTED,
}

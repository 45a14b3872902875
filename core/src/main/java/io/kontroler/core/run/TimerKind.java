package io.kontroler.core.run;

/** What a timer is for. */
public enum TimerKind {
  /** The backoff before the next attempt of a task is over. */
  RETRY,
  /** The task's deadline ({@code activeDeadlineSeconds}) has passed. */
  TIMEOUT
}

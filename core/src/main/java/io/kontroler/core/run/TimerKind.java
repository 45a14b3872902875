package io.kontroler.core.run;

/** What a timer is for. */
public enum TimerKind {
  /** The backoff before the next attempt of a task is over. */
  RETRY,
  /** The task's deadline ({@code activeDeadlineSeconds}) has passed. */
  TIMEOUT,
  /** An approval task was not decided within its {@code approval.timeoutSeconds}. */
  APPROVAL,
  /** The run's SLA ({@code sla.runSeconds}) has passed; the timer's task is empty. */
  SLA_RUN,
  /** The SLA of an attempt of the task ({@code sla.taskSeconds}) has passed. */
  SLA_TASK
}

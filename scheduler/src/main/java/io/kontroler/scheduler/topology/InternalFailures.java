package io.kontroler.scheduler.topology;

import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunEvent.TaskOutcome;
import io.kontroler.core.run.RunEvent.TimerFired;

/** Words for an unexpected exception: what was thrown, while doing what, to which run. */
final class InternalFailures {
  /** How much of a message (a reason, an exception's message) is kept. */
  static final int MESSAGE_CHARS = 1000;

  private InternalFailures() {}

  /**
   * {@code "<exception class>: <message> while applying <event> to run <id> (task, attempt)"}, or
   * the exception alone when it did not come from applying an event.
   */
  static String describe(RuntimeException e) {
    Throwable cause = e instanceof TransitionFailed && e.getCause() != null ? e.getCause() : e;
    StringBuilder s =
        new StringBuilder(cause.getClass().getName())
            .append(": ")
            .append(truncate(String.valueOf(cause.getMessage()), MESSAGE_CHARS / 2));
    if (e instanceof TransitionFailed f && f.event() != null) {
      RunEvent event = f.event();
      s.append(" while applying ")
          .append(event.getClass().getSimpleName())
          .append(" to run ")
          .append(event.runId());
      if (event instanceof TaskOutcome o) {
        s.append(" (task '").append(o.task()).append("', attempt ").append(o.attempt()).append(')');
      } else if (event instanceof TimerFired t) {
        s.append(" (task '").append(t.task()).append("', attempt ").append(t.attempt()).append(')');
      }
    }
    return s.toString();
  }

  /** {@code value} cut to {@code max} characters, saying how long it was when cut. */
  static String truncate(String value, int max) {
    if (value == null || value.length() <= max) {
      return value;
    }
    return value.substring(0, max) + "... (" + value.length() + " characters in all)";
  }
}

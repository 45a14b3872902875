package io.kontroler.api.events;

import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.RunPauseChanged;
import io.kontroler.core.run.RunCommand.SlaMissed;
import io.kontroler.core.run.RunCommand.TaskApprovalRecorded;

/** The run of the events that hold a run: pauses, approval decisions, missed SLAs. */
final class RunNews {
  private RunNews() {}

  static String runIdOf(Notification event) {
    if (event instanceof RunPauseChanged p) {
      return p.runId();
    }
    if (event instanceof TaskApprovalRecorded a) {
      return a.runId();
    }
    if (event instanceof SlaMissed m) {
      return m.runId();
    }
    throw new IllegalArgumentException("Expected a run-events notification, but got " + event);
  }
}

package io.kontroler.scheduler.topology;

import io.kontroler.core.run.DagPlan;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunState;

/**
 * Applying an event to a run threw; nothing was written or sent. Carries the run (null when it did
 * not exist yet) so that the adapter can fail it as INTERNAL.
 */
final class TransitionFailed extends RuntimeException {
  private final transient DagPlan plan;
  private final transient RunState run;
  private final transient RunEvent event;

  TransitionFailed(DagPlan plan, RunState run, RunEvent event, RuntimeException cause) {
    super(cause);
    this.plan = plan;
    this.run = run;
    this.event = event;
  }

  DagPlan plan() {
    return plan;
  }

  RunState run() {
    return run;
  }

  RunEvent event() {
    return event;
  }
}

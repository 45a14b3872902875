package io.kontroler.core.run;

import io.kontroler.core.run.RunEvent.CancelRequested;
import io.kontroler.core.run.RunEvent.LeaseExpired;
import io.kontroler.core.run.RunEvent.RetryRequested;
import io.kontroler.core.run.RunEvent.RunRequested;
import io.kontroler.core.run.RunEvent.TaskAccepted;
import io.kontroler.core.run.RunEvent.TaskFailed;
import io.kontroler.core.run.RunEvent.TaskStarted;
import io.kontroler.core.run.RunEvent.TaskSucceeded;
import io.kontroler.core.run.RunEvent.TimerFired;
import java.time.Instant;

/**
 * The run state machine: {@code (DAG plan, run state, event) -> transition}. Pure and
 * deterministic: no clock, IO or randomness; time comes from the event. Readiness is incremental (a
 * counter of unmet upstream tasks per task), so a whole run costs O(tasks + edges).
 */
public final class RunMachine {
  private RunMachine() {}

  /**
   * Applies {@code event} to the run {@code run} (null when none exists yet) whose task states are
   * read through {@code tasks}.
   */
  public static Transition apply(DagPlan plan, RunState run, TaskStates tasks, RunEvent event) {
    RunStep step = new RunStep(plan, run, tasks, event.at());
    if (event instanceof RunRequested e) {
      return step.request(e);
    }
    if (event instanceof RunEvent.PoolSlotGranted e) {
      return run == null ? PoolSlots.refuse(null, e, "there is no such run") : step.granted(e);
    }
    if (run == null) {
      return Transition.rejected(
          null,
          Rejection.Reason.UNKNOWN_RUN,
          "Expected a run " + event.runId() + " of DAG " + event.dag() + ", but there is none");
    }
    if (event instanceof RetryRequested) {
      return step.retryRun();
    }
    if (event instanceof RunEvent.RerunRequested e) {
      return step.rerun(e);
    }
    if (run.phase().isFinal()) {
      return Transition.rejected(
          run,
          Rejection.Reason.RUN_FINISHED,
          "Expected run "
              + run.runId()
              + " to be active, but it is "
              + run.phase()
              + " ("
              + event.getClass().getSimpleName()
              + " ignored)");
    }
    if (event instanceof CancelRequested e) {
      return step.cancel(e);
    }
    if (event instanceof RunEvent.PauseRequested e) {
      return step.pause(e);
    }
    if (event instanceof RunEvent.ResumeRequested e) {
      return step.resume(e);
    }
    if (event instanceof RunEvent.ApprovalDecided e) {
      return step.decided(e);
    }
    if (event instanceof TaskStarted e) {
      return step.started(e);
    }
    if (event instanceof TaskSucceeded e) {
      return step.succeeded(e);
    }
    if (event instanceof TaskFailed e) {
      return step.failed(e);
    }
    if (event instanceof TaskAccepted e) {
      return step.accepted(e);
    }
    if (event instanceof LeaseExpired e) {
      return step.leaseExpired(e);
    }
    if (event instanceof RunEvent.ChildRunEnded e) {
      return step.childEnded(e);
    }
    return step.timer((TimerFired) event);
  }

  /**
   * Fails an active run with reason INTERNAL because applying an event to it threw ({@code what}
   * says which event and what was thrown). Its task states are left as they were; with {@code
   * killActive}, its queued and running attempts are told to stop (pass false when reading the task
   * states is what failed). A finished run is rejected: there is nothing left to fail.
   */
  public static Transition failInternal(
      DagPlan plan, RunState run, TaskStates tasks, String what, Instant at, boolean killActive) {
    if (run.phase().isFinal() || !run.phase().canBecome(RunPhase.Failed)) {
      return Transition.rejected(
          run,
          Rejection.Reason.RUN_FINISHED,
          "Expected run " + run.runId() + " to be active, but it is " + run.phase());
    }
    return new RunStep(plan, run, tasks, at).failInternal(what, killActive && plan != null);
  }
}

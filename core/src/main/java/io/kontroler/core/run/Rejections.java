package io.kontroler.core.run;

import io.kontroler.core.run.RunEvent.LeaseExpired;
import io.kontroler.core.run.RunEvent.TaskOutcome;
import io.kontroler.core.run.RunEvent.TimerFired;
import java.util.EnumSet;

/** The events a run refuses, each with a message of the form "Expected …, but …" and the ids. */
final class Rejections {
  private Rejections() {}

  /**
   * Null when {@code e} is about the current attempt of a known task in one of {@code expected}.
   */
  static Transition checkOutcome(
      DagPlan plan, RunState run, TaskState t, TaskOutcome e, EnumSet<TaskPhase> expected) {
    if (t == null || plan.specIndexOf(e.task()) < 0) {
      return unknownTask(plan, run, e.task());
    }
    if (e.attempt() != t.attempt()) {
      return Transition.rejected(
          run,
          Rejection.Reason.STALE_ATTEMPT,
          "Expected attempt "
              + t.attempt()
              + " of task '"
              + t.name()
              + "' in run "
              + run.runId()
              + ", but got attempt "
              + e.attempt());
    }
    if (!expected.contains(t.phase())) {
      return Transition.rejected(
          run,
          Rejection.Reason.DUPLICATE_OUTCOME,
          "Expected attempt "
              + t.attempt()
              + " of task '"
              + t.name()
              + "' in run "
              + run.runId()
              + " to be "
              + expected
              + " for "
              + e.getClass().getSimpleName()
              + ", but it is "
              + t.phase());
    }
    return null;
  }

  static Transition unknownTask(DagPlan plan, RunState run, String name) {
    return Transition.rejected(
        run,
        Rejection.Reason.UNKNOWN_TASK,
        "Expected a task of DAG "
            + plan.dag()
            + " version "
            + plan.version()
            + " in run "
            + run.runId()
            + ", but got '"
            + name
            + "'");
  }

  static Transition sameHolder(RunState run, TaskState t) {
    return Transition.rejected(
        run,
        Rejection.Reason.DUPLICATE_OUTCOME,
        "Expected another holder of attempt "
            + t.attempt()
            + " of task '"
            + t.name()
            + "' in run "
            + run.runId()
            + ", but it is "
            + t.executor()
            + " already");
  }

  static Transition staleLease(RunState run, TaskState t, LeaseExpired e) {
    return Transition.rejected(
        run,
        Rejection.Reason.STALE_ATTEMPT,
        "Expected attempt "
            + e.attempt()
            + " of task '"
            + t.name()
            + "' in run "
            + run.runId()
            + " to be active and held by "
            + e.executor()
            + ", but attempt "
            + t.attempt()
            + " is "
            + t.phase()
            + " held by "
            + t.executor());
  }

  static Transition staleTimer(RunState run, TaskState t, TimerFired e) {
    return Transition.rejected(
        run,
        Rejection.Reason.STALE_TIMER,
        "Expected a "
            + e.kind()
            + " timer for the current attempt "
            + t.attempt()
            + " of task '"
            + t.name()
            + "' in run "
            + run.runId()
            + " ("
            + t.phase()
            + "), but got attempt "
            + e.attempt());
  }

  /** Null when {@code e} may decide approval task {@code t} (task {@code i} of the plan). */
  static Transition checkDecision(
      DagPlan plan, RunState run, int i, TaskState t, RunEvent.ApprovalDecided e) {
    if (i < 0 || t == null || !plan.task(i).awaitsApproval()) {
      return Transition.rejected(
          run,
          Rejection.Reason.UNKNOWN_TASK,
          "Expected an approval task of DAG "
              + plan.dag()
              + " in run "
              + run.runId()
              + ", but got '"
              + e.task()
              + "'");
    }
    if (t.phase() != TaskPhase.Running) {
      return Transition.rejected(
          run,
          Rejection.Reason.STALE_ATTEMPT,
          "Expected approval task '"
              + t.name()
              + "' in run "
              + run.runId()
              + " to wait for a decision, but it is "
              + t.phase());
    }
    if (!plan.task(i).approval().allows(e.user(), e.roles())) {
      return Transition.rejected(
          run,
          Rejection.Reason.NOT_APPROVER,
          "Expected one of the approvers "
              + plan.task(i).approval().approvers()
              + " of task '"
              + t.name()
              + "' in run "
              + run.runId()
              + ", but user '"
              + e.user()
              + "' with roles "
              + e.roles()
              + " is none of them");
    }
    return null;
  }
}

package io.kontroler.core.run;

/**
 * What a run comes to: the outcome of its main tasks (what exit tasks see as {@code {{ run.phase
 * }}}) and its final phase, from the run's counters alone.
 */
final class RunOutcome {
  private RunOutcome() {}

  /**
   * Cancelled after a cancel, else Failed if a task failed without allowFailure, else Succeeded.
   */
  static RunPhase ofMainTasks(RunState run) {
    if (run.cancelRequested()) {
      return RunPhase.Cancelled;
    }
    return run.failuresThatCount() > 0 ? RunPhase.Failed : RunPhase.Succeeded;
  }

  /** The final phase: as {@link #ofMainTasks}, but Failed whenever an exit task failed. */
  static RunPhase finalPhase(RunState run, boolean exitTaskFailed) {
    return exitTaskFailed ? RunPhase.Failed : ofMainTasks(run);
  }

  /** The run's message for its final phase {@code to}, or null. */
  static String message(RunState run, RunPhase to) {
    if (to == RunPhase.Failed) {
      return run.failuresThatCount() + " task(s) failed, " + run.counts().skipped() + " skipped";
    }
    if (run.allowedFailures() > 0) {
      return run.allowedFailures() + " task(s) failed with allowFailure";
    }
    return null;
  }
}

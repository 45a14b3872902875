package io.kontroler.core.run;

import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.run.RunCommand.SendPool;
import io.kontroler.core.run.RunCommand.TaskWaitingForPool;
import java.time.Instant;
import java.util.List;

/**
 * A run's side of shared pools: each attempt of a task with a {@code pool} asks the pool's owner
 * for a slot before it is launched, and gives the slot back (or its place in the queue) whenever
 * the attempt ends, however it ends. The pool's owner grants slots in the order asked; a grant
 * comes back as {@link RunEvent.PoolSlotGranted}.
 */
final class PoolSlots {
  private PoolSlots() {}

  /** The pool of the task or instance {@code name}, or null when it takes no slot. */
  static String poolOf(DagPlan plan, String name) {
    int i = plan.specIndexOf(name);
    if (i < 0) {
      return null;
    }
    TaskSpec spec = plan.task(i);
    return spec.usesPool() ? spec.pool() : null;
  }

  /**
   * Asks {@code pool} for a slot for the next attempt of {@code t} (adding the request and its
   * notification to {@code out}) and answers {@code t} waiting for it.
   */
  static TaskState request(
      RunState run, TaskState t, String pool, Instant at, List<RunCommand> out) {
    int attempt = t.attempt() + 1;
    out.add(new TaskWaitingForPool(run.runId(), run.dag(), t.name(), attempt, pool, at));
    out.add(
        new SendPool(
            run.runId(),
            run.dag(),
            new PoolMessage.SlotRequested(pool, run.dag(), run.runId(), t.name(), attempt, at)));
    return t.withWaitingForPool(true);
  }

  /** Gives back the slot (or the queued request) of attempt {@code attempt} of {@code task}. */
  static SendPool release(
      String dag, String runId, String task, int attempt, String pool, Instant at) {
    return new SendPool(
        runId, dag, new PoolMessage.SlotReleased(pool, dag, runId, task, attempt, at));
  }

  /**
   * The release that a task's move from {@code from} to {@code to} owes its pool, or null: an
   * attempt that stops being active (it ended, will be retried, was cancelled or lost) gives its
   * slot back, and a waiting request that ends otherwise than by its grant (cancelled, skipped)
   * leaves the queue. A forEach task takes no slot itself: its instances do.
   */
  static SendPool releaseOnMove(
      DagPlan plan, RunState run, TaskState from, TaskState to, Instant at) {
    String pool = poolOf(plan, from.name());
    if (pool == null || from.fanOut() != null || to.fanOut() != null) {
      return null;
    }
    if (from.phase().isActive() && !to.phase().isActive()) {
      return release(run.dag(), run.runId(), from.name(), from.attempt(), pool, at);
    }
    if (from.waitingForPool() && to.phase() != TaskPhase.Queued) {
      return release(run.dag(), run.runId(), from.name(), from.attempt() + 1, pool, at);
    }
    return null;
  }

  /**
   * Null when {@code t} waits for the slot {@code e} grants; else the answer: a rejection that
   * changes nothing when the attempt holds the slot already (a grant seen twice), or {@link
   * #refuse} (the slot goes back) when the attempt no longer waits.
   */
  static Transition checkGrant(
      DagPlan plan, RunState run, TaskState t, RunEvent.PoolSlotGranted e) {
    if (t != null && t.attempt() == e.attempt() && t.phase().isActive()) {
      return Transition.rejected(
          run,
          Rejection.Reason.DUPLICATE_OUTCOME,
          "Expected attempt "
              + e.attempt()
              + " of task '"
              + e.task()
              + "' to wait for a slot, but it holds it and is "
              + t.phase());
    }
    boolean waits =
        t != null
            && plan.specIndexOf(e.task()) >= 0
            && t.waitingForPool()
            && t.attempt() + 1 == e.attempt()
            && !run.phase().isFinal();
    if (waits) {
      return null;
    }
    return refuse(
        run,
        e,
        t == null
            ? "the run has no such task"
            : "it is " + t.phase() + (run.phase().isFinal() ? " in a finished run" : ""));
  }

  /**
   * A grant that no step of the run takes: the run is unknown here (never was, or its state is
   * gone), finished, or the attempt no longer waits. The slot goes back at once, so that no slot is
   * held by an attempt that will not run.
   */
  static Transition refuse(RunState run, RunEvent.PoolSlotGranted e, String why) {
    return new Transition(
        run,
        List.of(),
        List.of(release(e.dag(), e.runId(), e.task(), e.attempt(), e.pool(), e.at())),
        new Rejection(
            Rejection.Reason.STALE_ATTEMPT,
            "Expected attempt "
                + e.attempt()
                + " of task '"
                + e.task()
                + "' in run "
                + e.runId()
                + " to wait for a slot of pool "
                + e.pool()
                + ", but "
                + why
                + ": slot released"));
  }
}

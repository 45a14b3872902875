package io.kontroler.core.run;

import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.ReleaseRun;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunCommand.StartTimer;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunEvent.CancelRequested;
import io.kontroler.core.run.RunEvent.LeaseExpired;
import io.kontroler.core.run.RunEvent.RunRequested;
import io.kontroler.core.run.RunEvent.TaskAccepted;
import io.kontroler.core.run.RunEvent.TaskFailed;
import io.kontroler.core.run.RunEvent.TaskOutcome;
import io.kontroler.core.run.RunEvent.TaskStarted;
import io.kontroler.core.run.RunEvent.TaskSucceeded;
import io.kontroler.core.run.RunEvent.TimerFired;
import io.kontroler.core.validate.RunValidator;
import io.kontroler.core.validate.Validated;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One application of an event: reads through the changes it has made so far. */
final class RunStep {
  private final DagPlan plan;
  private final TaskStates stored;
  private final Instant at;
  private final Map<String, TaskState> changed = new LinkedHashMap<>();
  private final List<RunCommand> commands = new ArrayList<>();
  private RunState run;

  RunStep(DagPlan plan, RunState run, TaskStates stored, Instant at) {
    this.plan = plan;
    this.run = run;
    this.stored = stored;
    this.at = at;
  }

  Transition request(RunRequested e) {
    if (run != null) {
      return Transition.rejected(
          run,
          Rejection.Reason.DUPLICATE_RUN,
          "Expected no run " + e.runId() + " yet, but it exists and is " + run.phase());
    }
    Validated<Map<String, ParameterValue>> params =
        RunValidator.resolve(plan.dag(), plan.spec(), e.parameters(), "parameters");
    if (!params.ok()) {
      commands.add(new RunRejected(e.runId(), e.dag(), e.runName(), params.problems(), at));
      return new Transition(
          null,
          List.of(),
          commands,
          new Rejection(Rejection.Reason.INVALID_REQUEST, params.problems().toString()));
    }
    run =
        new RunState(
            e.runId(),
            plan.dag(),
            plan.version(),
            e.runName(),
            RunPhase.Pending,
            params.value(),
            PhaseCounts.ZERO.plus(TaskPhase.Pending, plan.size()),
            false,
            at,
            null,
            null,
            null);
    commands.add(runChanged(null, RunPhase.Pending));
    for (int i = 0; i < plan.size(); i++) {
      changed.put(plan.name(i), TaskState.pending(plan.name(i), plan.upstreamOf(i).length));
    }
    startRun();
    for (int i = 0; i < plan.size(); i++) {
      if (plan.upstreamOf(i).length == 0) {
        launch(i);
      }
    }
    return done();
  }

  Transition started(TaskStarted e) {
    Transition rejected = checkOutcome(e, EnumSet.of(TaskPhase.Queued));
    if (rejected != null) {
      return rejected;
    }
    TaskState t = task(e.task());
    move(t, t.started(at));
    Long deadline = plan.task(plan.indexOf(e.task())).podTemplate().activeDeadlineSeconds();
    if (deadline != null) {
      commands.add(
          new StartTimer(
              run.runId(),
              run.dag(),
              e.task(),
              e.attempt(),
              TimerKind.TIMEOUT,
              at.plusSeconds(deadline)));
    }
    return done();
  }

  /** Records the executor that holds the attempt now: the first to accept it, or an adopter. */
  Transition accepted(TaskAccepted e) {
    Transition rejected = checkOutcome(e, EnumSet.of(TaskPhase.Queued, TaskPhase.Running));
    if (rejected != null) {
      return rejected;
    }
    TaskState t = task(e.task());
    if (e.executor() == null || e.executor().equals(t.executor())) {
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
    put(t.withExecutor(e.executor()));
    return done();
  }

  /**
   * Fails an attempt whose holder stopped heartbeating as lost, after telling the holder to stop
   * it: the executor may only be cut off from Kafka and still running it.
   */
  Transition leaseExpired(LeaseExpired e) {
    TaskState t = task(e.task());
    if (t == null || plan.indexOf(e.task()) < 0) {
      return unknownTask(e.task());
    }
    if (t.attempt() != e.attempt() || !t.phase().isActive() || !e.executor().equals(t.executor())) {
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
    String why =
        "executor "
            + e.executor()
            + " sent no heartbeat for longer than its lease of "
            + e.leaseMillis()
            + " ms";
    commands.add(new KillTask(run.runId(), run.dag(), t.name(), t.attempt(), why, at));
    fail(t, null, FailureKind.LOST, why);
    return done();
  }

  /**
   * Fails the run at once because applying an event to it threw ({@code what}): a bug or a poison
   * value. Task states are left as they are; the attempts still active are told to stop.
   */
  Transition failInternal(String what, boolean killActive) {
    if (killActive) {
      for (int i = 0; i < plan.size(); i++) {
        TaskState t = task(plan.name(i));
        if (t != null && t.phase().isActive()) {
          commands.add(new KillTask(run.runId(), run.dag(), t.name(), t.attempt(), "INTERNAL", at));
        }
      }
    }
    RunPhase from = run.phase();
    run = run.withPhase(RunPhase.Failed, at, "INTERNAL: " + what);
    commands.add(runChanged(from, RunPhase.Failed));
    return new Transition(run, List.of(), commands, null);
  }

  Transition succeeded(TaskSucceeded e) {
    Transition rejected = checkOutcome(e, EnumSet.of(TaskPhase.Queued, TaskPhase.Running));
    if (rejected != null) {
      return rejected;
    }
    TaskState t = task(e.task());
    move(t, t.ended(TaskPhase.Succeeded, 0, null, null, at));
    for (int j : plan.downstreamOf(plan.indexOf(e.task()))) {
      TaskState down = task(plan.name(j));
      if (down.phase() != TaskPhase.Pending) {
        continue;
      }
      TaskState counted = down.withUnmetUpstream(down.unmetUpstream() - 1);
      put(counted);
      if (counted.unmetUpstream() == 0) {
        launch(j);
      }
    }
    return done();
  }

  Transition failed(TaskFailed e) {
    Transition rejected = checkOutcome(e, EnumSet.of(TaskPhase.Queued, TaskPhase.Running));
    if (rejected != null) {
      return rejected;
    }
    fail(task(e.task()), e.exitCode(), e.kind(), e.message());
    return done();
  }

  Transition timer(TimerFired e) {
    TaskState t = task(e.task());
    if (t == null || plan.indexOf(e.task()) < 0) {
      return unknownTask(e.task());
    }
    boolean current = t.attempt() == e.attempt();
    if (e.kind() == TimerKind.RETRY && current && t.phase() == TaskPhase.Retrying) {
      launch(plan.indexOf(e.task()));
      return done();
    }
    if (e.kind() == TimerKind.TIMEOUT && current && t.phase().isActive()) {
      Long deadline = plan.task(plan.indexOf(e.task())).podTemplate().activeDeadlineSeconds();
      String why = "deadline of " + deadline + "s exceeded";
      commands.add(new KillTask(run.runId(), run.dag(), t.name(), t.attempt(), why, at));
      fail(t, null, FailureKind.TIMED_OUT, why);
      return done();
    }
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

  Transition cancel(CancelRequested e) {
    run = run.withCancelRequested(true);
    for (int i = 0; i < plan.size(); i++) {
      TaskState t = task(plan.name(i));
      if (t.phase().isActive()) {
        commands.add(new KillTask(run.runId(), run.dag(), t.name(), t.attempt(), e.reason(), at));
      }
      if (!t.phase().isFinal()) {
        move(t, t.ended(TaskPhase.Cancelled, null, null, e.reason(), at));
      }
    }
    return done();
  }

  Transition retryRun() {
    if (!run.phase().canRetry()) {
      return Transition.rejected(
          run,
          Rejection.Reason.NOT_RETRYABLE,
          "Expected run " + run.runId() + " to be Failed or Cancelled, but it is " + run.phase());
    }
    RunPhase from = run.phase();
    run = run.withCancelRequested(false).withPhase(RunPhase.Running, null, null);
    commands.add(runChanged(from, RunPhase.Running));
    List<Integer> reset = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      TaskState t = task(plan.name(i));
      if (t.phase() == TaskPhase.Failed
          || t.phase() == TaskPhase.Skipped
          || t.phase() == TaskPhase.Cancelled) {
        move(t, t.reset(0));
        reset.add(i);
      }
    }
    for (int i : reset) {
      int unmet = 0;
      for (int u : plan.upstreamOf(i)) {
        unmet += task(plan.name(u)).phase() == TaskPhase.Succeeded ? 0 : 1;
      }
      put(task(plan.name(i)).withUnmetUpstream(unmet));
      if (unmet == 0) {
        launch(i);
      }
    }
    return done();
  }

  private void fail(TaskState t, Integer exitCode, FailureKind kind, String message) {
    TaskSpec spec = plan.task(plan.indexOf(t.name()));
    if (kind == FailureKind.LOST && t.lost() < Retries.LOST_LIMIT) {
      // Not the task's fault: again at once, outside the retry budget.
      move(t, t.ended(TaskPhase.Retrying, exitCode, kind, message, at).withLostAttempt());
      launch(plan.indexOf(t.name()));
      return;
    }
    boolean retry =
        Retries.retryable(spec, exitCode, kind)
            && t.attemptsInBudget() < spec.backoff().limit() + 1;
    if (!retry) {
      move(t, t.ended(TaskPhase.Failed, exitCode, kind, message, at));
      skipDownstream(plan.indexOf(t.name()));
      return;
    }
    move(t, t.ended(TaskPhase.Retrying, exitCode, kind, message, at));
    long delay = spec.backoff().delayMillisBeforeRetry(t.attemptsInBudget());
    if (delay == 0) {
      launch(plan.indexOf(t.name()));
    } else {
      commands.add(
          new StartTimer(
              run.runId(),
              run.dag(),
              t.name(),
              t.attempt(),
              TimerKind.RETRY,
              at.plusMillis(delay)));
    }
  }

  private void skipDownstream(int failed) {
    Deque<Integer> queue = new ArrayDeque<>();
    queue.add(failed);
    while (!queue.isEmpty()) {
      for (int j : plan.downstreamOf(queue.poll())) {
        TaskState down = task(plan.name(j));
        if (down.phase() == TaskPhase.Pending) {
          String why = "upstream task '" + plan.name(failed) + "' failed";
          move(down, down.ended(TaskPhase.Skipped, null, null, why, at));
          queue.add(j);
        }
      }
    }
  }

  private void launch(int i) {
    TaskState t = task(plan.name(i));
    TaskState queued = t.queued(t.attempt() + 1, at);
    move(t, queued);
    commands.add(
        new LaunchTask(
            run.runId(),
            run.dag(),
            run.dagVersion(),
            queued.name(),
            queued.attempt(),
            Containers.of(plan.spec(), plan.task(i), run.parameters(), run, queued.attempt()),
            at));
  }

  private Transition checkOutcome(TaskOutcome e, EnumSet<TaskPhase> expected) {
    TaskState t = task(e.task());
    if (t == null || plan.indexOf(e.task()) < 0) {
      return unknownTask(e.task());
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

  private Transition unknownTask(String name) {
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

  private TaskState task(String name) {
    TaskState t = changed.get(name);
    return t != null ? t : stored.get(name);
  }

  private void put(TaskState t) {
    changed.put(t.name(), t);
  }

  private void move(TaskState from, TaskState to) {
    if (!from.phase().canBecome(to.phase())) {
      throw new IllegalStateException(
          "Expected a declared transition of task '"
              + from.name()
              + "' in run "
              + run.runId()
              + ", but got "
              + from.phase()
              + " -> "
              + to.phase());
    }
    put(to);
    run = run.withCounts(run.counts().moved(from.phase(), to.phase()));
    commands.add(
        new TaskPhaseChanged(
            run.runId(),
            run.dag(),
            to.name(),
            to.attempt(),
            from.phase(),
            to.phase(),
            to.exitCode(),
            to.failureKind(),
            to.message(),
            at));
  }

  private void startRun() {
    run =
        new RunState(
            run.runId(),
            run.dag(),
            run.dagVersion(),
            run.runName(),
            run.phase().becoming(RunPhase.Running),
            run.parameters(),
            run.counts(),
            false,
            run.requestedAt(),
            at,
            null,
            null);
    commands.add(runChanged(RunPhase.Pending, RunPhase.Running));
  }

  private Transition done() {
    if (run.phase() == RunPhase.Running && run.counts().unfinished() == 0) {
      RunPhase to =
          run.cancelRequested()
              ? RunPhase.Cancelled
              : run.counts().failed() > 0 ? RunPhase.Failed : RunPhase.Succeeded;
      String message =
          to == RunPhase.Failed
              ? run.counts().failed() + " task(s) failed, " + run.counts().skipped() + " skipped"
              : null;
      run = run.withPhase(to, at, message);
      commands.add(runChanged(RunPhase.Running, to));
      if (plan.spec().workspaceEnabled()) {
        commands.add(new ReleaseRun(run.runId(), run.dag(), at));
      }
    }
    return new Transition(run, List.copyOf(changed.values()), commands, null);
  }

  private RunPhaseChanged runChanged(RunPhase from, RunPhase to) {
    return new RunPhaseChanged(
        run.runId(),
        run.dag(),
        run.dagVersion(),
        run.runName(),
        from,
        to,
        run.counts(),
        run.message(),
        at);
  }
}

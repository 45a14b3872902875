package io.kontroler.core.run;

import io.kontroler.core.dag.Approval;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.lang.Condition;
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
import io.kontroler.core.run.RunEvent.TaskStarted;
import io.kontroler.core.run.RunEvent.TaskSucceeded;
import io.kontroler.core.run.RunEvent.TimerFired;
import io.kontroler.core.validate.RunValidator;
import io.kontroler.core.validate.Validated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One application of an event: reads through the changes it has made so far. A task that ends is
 * queued as settled; before the step returns, each settled task updates the upstream counters of
 * its pending downstream tasks, whose trigger rules then decide (start, skip or wait). Once every
 * main task is final, the exit tasks start.
 */
final class RunStep {
  private final DagPlan plan;
  private final TaskStates stored;
  private final Instant at;
  private final Map<String, TaskState> changed = new LinkedHashMap<>();
  private final List<RunCommand> commands = new ArrayList<>();

  /** Tasks that ended in this step and whose downstream tasks have not heard of it yet. */
  private int[] settled = new int[8];

  private int settledCount;
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
      if (e.parent() != null) {
        commands.add(
            SubDagRuns.ended(
                e.parent(), e.runId(), e.dag(), RunPhase.Failed, params.problems().toString(), at));
      }
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
            null,
            e.logicalDate(),
            plan.size() - plan.mainSize(),
            0,
            null,
            e.parent());
    commands.add(runChanged(null, RunPhase.Pending));
    for (int i = 0; i < plan.size(); i++) {
      changed.put(plan.name(i), TaskState.pending(plan.name(i), plan.upstreamOf(i).length));
    }
    run = run.startedAt(at);
    commands.add(runChanged(RunPhase.Pending, RunPhase.Running));
    addTimer(SlaTimers.forRun(plan, run, at));
    for (int i = 0; i < plan.mainSize(); i++) {
      if (plan.upstreamOf(i).length == 0) {
        begin(i);
      }
    }
    return done();
  }

  Transition started(TaskStarted e) {
    TaskState t = task(e.task());
    Transition rejected = Rejections.checkOutcome(plan, run, t, e, EnumSet.of(TaskPhase.Queued));
    if (rejected != null) {
      return rejected;
    }
    move(t, t.started(at));
    addTimer(SlaTimers.forTask(plan, run, e.task(), e.attempt(), at));
    Long deadline = plan.task(plan.specIndexOf(e.task())).podTemplate().activeDeadlineSeconds();
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
    TaskState t = task(e.task());
    Transition rejected =
        Rejections.checkOutcome(plan, run, t, e, EnumSet.of(TaskPhase.Queued, TaskPhase.Running));
    if (rejected != null) {
      return rejected;
    }
    if (e.executor() == null || e.executor().equals(t.executor())) {
      return Rejections.sameHolder(run, t);
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
    if (t == null || plan.specIndexOf(e.task()) < 0) {
      return Rejections.unknownTask(plan, run, e.task());
    }
    if (t.attempt() != e.attempt() || !t.phase().isActive() || !e.executor().equals(t.executor())) {
      return Rejections.staleLease(run, t, e);
    }
    String why =
        "executor "
            + e.executor()
            + " sent no heartbeat for longer than its lease of "
            + e.leaseMillis()
            + " ms";
    kill(t, why);
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
        if (t != null && t.fanOut() != null && !t.phase().isFinal()) {
          forEachInstance(i, t, inst -> kill(inst, "INTERNAL"));
        } else if (t != null && t.phase().isActive()) {
          kill(t, "INTERNAL");
        }
      }
    }
    RunPhase from = run.phase();
    run = run.withPhase(RunPhase.Failed, at, "INTERNAL: " + what);
    commands.add(runChanged(from, RunPhase.Failed));
    if (run.parent() != null) {
      commands.add(
          SubDagRuns.ended(
              run.parent(), run.runId(), run.dag(), RunPhase.Failed, run.message(), at));
    }
    return new Transition(run, List.of(), commands, null);
  }

  Transition succeeded(TaskSucceeded e) {
    TaskState t = task(e.task());
    Transition rejected =
        Rejections.checkOutcome(plan, run, t, e, EnumSet.of(TaskPhase.Queued, TaskPhase.Running));
    if (rejected != null) {
      return rejected;
    }
    TaskState ended = t.ended(TaskPhase.Succeeded, 0, null, null, at);
    move(t, e.outputs().isEmpty() ? ended : ended.withOutputs(e.outputs()));
    settleOrCount(t.name(), TaskPhase.Succeeded);
    return done();
  }

  Transition failed(TaskFailed e) {
    TaskState t = task(e.task());
    Transition rejected =
        Rejections.checkOutcome(plan, run, t, e, EnumSet.of(TaskPhase.Queued, TaskPhase.Running));
    if (rejected != null) {
      return rejected;
    }
    fail(t, e.exitCode(), e.kind(), e.message());
    return done();
  }

  /** Approval task {@code i} is ready: it waits for a decision, until its timeout. */
  private void awaitApproval(int i) {
    TaskState t = task(plan.name(i));
    Approval approval = plan.task(i).approval();
    String why = "waiting for approval by one of " + approval.approvers();
    TaskState waiting = t.awaitingApproval(t.attempt() + 1, at, why);
    move(t, waiting);
    addTimer(SlaTimers.forTask(plan, run, t.name(), waiting.attempt(), at));
    commands.add(
        new StartTimer(
            run.runId(),
            run.dag(),
            t.name(),
            waiting.attempt(),
            TimerKind.APPROVAL,
            at.plusSeconds(approval.timeoutSeconds())));
  }

  /** An approver's decision on a waiting approval task: it succeeds or fails (not retried). */
  Transition decided(RunEvent.ApprovalDecided e) {
    int i = plan.indexOf(e.task());
    TaskState t = i < 0 ? null : task(e.task());
    Transition rejected = Rejections.checkDecision(plan, run, i, t, e);
    if (rejected != null) {
      return rejected;
    }
    String comment = e.comment() == null || e.comment().isBlank() ? "" : ": " + e.comment();
    recordDecision(i, t, e.approved(), e.user(), e.comment());
    if (e.approved()) {
      move(t, t.ended(TaskPhase.Succeeded, null, null, "approved by " + e.user() + comment, at));
    } else {
      move(
          t,
          t.ended(
              TaskPhase.Failed,
              null,
              FailureKind.REJECTED,
              "rejected by " + e.user() + comment,
              at));
    }
    settle(i);
    return done();
  }

  private void recordDecision(int i, TaskState t, boolean approved, String user, String comment) {
    commands.add(
        new RunCommand.TaskApprovalRecorded(
            run.runId(), run.dag(), t.name(), t.attempt(), approved, user, comment, at));
  }

  /** Fails an approval task nobody decided on within its timeout. */
  private void approvalTimedOut(TaskState t) {
    int i = plan.indexOf(t.name());
    String why = "no decision within " + plan.task(i).approval().timeoutSeconds() + "s";
    recordDecision(i, t, false, null, why);
    move(t, t.ended(TaskPhase.Failed, null, FailureKind.TIMED_OUT, why, at));
    settle(i);
  }

  private void addTimer(StartTimer timer) {
    if (timer != null) {
      commands.add(timer);
    }
  }

  /** An SLA timer: the run or task attempt still not final misses its SLA, once. */
  private Transition slaTimer(TimerFired e) {
    TaskState t = e.kind() == TimerKind.SLA_TASK ? task(e.task()) : null;
    if (!SlaTimers.missed(run, t, e)) {
      return Transition.rejected(
          run,
          Rejection.Reason.STALE_TIMER,
          "Expected "
              + (t == null
                  ? "run " + run.runId()
                  : "attempt " + e.attempt() + " of task '" + e.task() + "'")
              + " to be unfinished and within its SLA, but it is final or missed it before");
    }
    run = run.withSlaMissed(t == null ? RunState.RUN_SLA : t.name());
    commands.add(
        new RunCommand.SlaMissed(
            run.runId(), run.dag(), t == null ? null : t.name(), SlaTimers.seconds(plan, e), at));
    return done();
  }

  Transition timer(TimerFired e) {
    if (e.kind() == TimerKind.SLA_RUN || e.kind() == TimerKind.SLA_TASK) {
      return slaTimer(e);
    }
    TaskState t = task(e.task());
    if (t == null || plan.specIndexOf(e.task()) < 0) {
      return Rejections.unknownTask(plan, run, e.task());
    }
    boolean current = t.attempt() == e.attempt();
    if (e.kind() == TimerKind.RETRY && current && t.phase() == TaskPhase.Retrying) {
      relaunch(t);
      return done();
    }
    if (e.kind() == TimerKind.APPROVAL && current && t.phase() == TaskPhase.Running) {
      approvalTimedOut(t);
      return done();
    }
    if (e.kind() == TimerKind.TIMEOUT && current && t.phase().isActive()) {
      Long deadline = plan.task(plan.specIndexOf(e.task())).podTemplate().activeDeadlineSeconds();
      String why = "deadline of " + deadline + "s exceeded";
      kill(t, why);
      fail(t, null, FailureKind.TIMED_OUT, why);
      return done();
    }
    return Rejections.staleTimer(run, t, e);
  }

  /**
   * Cancels the main tasks that are not final (the exit tasks then start), or, once the main tasks
   * are all final, the exit tasks that are not.
   */
  Transition cancel(CancelRequested e) {
    if (run.paused()) {
      // A cancelled run ends: its exit tasks must be able to start.
      run = run.withPaused(false);
      commands.add(new RunCommand.RunPauseChanged(run.runId(), run.dag(), false, null, at));
    }
    run = run.withCancelRequested(true);
    boolean main = run.mainUnfinished() > 0;
    int end = main ? plan.mainSize() : plan.size();
    for (int i = main ? 0 : plan.mainSize(); i < end; i++) {
      TaskState t = task(plan.name(i));
      if (t.fanOut() != null && !t.phase().isFinal()) {
        t = cancelInstances(i, t, e.reason());
      } else if (t.phase().isActive()) {
        kill(t, e.reason());
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
    run =
        run.withCancelRequested(false)
            .withPhase(RunPhase.Running, null, null)
            .withMainOutcome(null);
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
      put(TriggerRules.recounted(plan, i, this::task));
    }
    for (int i : reset) {
      if (!plan.isExit(i)) {
        decide(i);
      }
    }
    return done();
  }

  /**
   * Runs task {@code e.task()} and every task downstream of it again, with fresh attempts: what is
   * active among them is stopped, all go back to Pending, and those whose upstream tasks are all
   * outside the set start at once. A finished run runs again; its exit tasks too, once the main
   * tasks are final again.
   */
  Transition rerun(RunEvent.RerunRequested e) {
    int first = plan.indexOf(e.task());
    if (first < 0) {
      return Rejections.unknownTask(plan, run, e.task());
    }
    boolean[] again = new boolean[plan.size()];
    java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(first));
    again[first] = true;
    while (!queue.isEmpty()) {
      for (int d : plan.downstreamOf(queue.poll())) {
        if (!again[d]) {
          again[d] = true;
          queue.add(d);
        }
      }
    }
    if (!plan.isExit(first) && run.mainOutcome() != null) {
      for (int i = plan.mainSize(); i < plan.size(); i++) {
        again[i] = true; // they ran for the old outcome: they run again for the new one
      }
    }
    if (run.phase().isFinal()) {
      RunPhase from = run.phase();
      run = run.withCancelRequested(false).withPhase(RunPhase.Running, null, null);
      commands.add(runChanged(from, RunPhase.Running));
    }
    run = run.withMainOutcome(plan.isExit(first) ? run.mainOutcome() : null);
    String why = "re-run from task '" + e.task() + "'";
    for (int i = 0; i < plan.size(); i++) {
      TaskState t = task(plan.name(i));
      if (!again[i] || t.phase() == TaskPhase.Pending) {
        continue;
      }
      if (!t.phase().isFinal()) {
        if (t.fanOut() != null) {
          t = cancelInstances(i, t, why);
        } else if (t.phase().isActive()) {
          kill(t, why);
        }
        move(t, t.ended(TaskPhase.Cancelled, null, null, why, at));
        t = task(plan.name(i));
      }
      move(t, t.reset(0));
    }
    for (int i = 0; i < plan.size(); i++) {
      if (again[i]) {
        put(TriggerRules.recounted(plan, i, this::task));
      }
    }
    for (int i = 0; i < plan.size(); i++) {
      if (again[i] && (!plan.isExit(i) || run.mainOutcome() != null)) {
        decide(i);
      }
    }
    return done();
  }

  /** Pauses the run: from now on no attempt starts; those queued or running go on. */
  Transition pause(RunEvent.PauseRequested e) {
    if (run.paused()) {
      return Transition.rejected(
          run,
          Rejection.Reason.NOT_PAUSABLE,
          "Expected run " + run.runId() + " to be running unpaused, but it is paused already");
    }
    run = run.withPaused(true);
    commands.add(new RunCommand.RunPauseChanged(run.runId(), run.dag(), true, e.user(), at));
    return done();
  }

  /**
   * Resumes a paused run: the tasks that became ready while it was paused start, retries whose
   * backoff is over are launched (the others get their timer again) and forEach tasks create the
   * instances their parallelism allows.
   */
  Transition resume(RunEvent.ResumeRequested e) {
    if (!run.paused()) {
      return Transition.rejected(
          run,
          Rejection.Reason.NOT_PAUSABLE,
          "Expected run " + run.runId() + " to be paused, but it is running");
    }
    run = run.withPaused(false);
    commands.add(new RunCommand.RunPauseChanged(run.runId(), run.dag(), false, e.user(), at));
    for (int i = 0; i < plan.size(); i++) {
      TaskState t = task(plan.name(i));
      if (t.phase() == TaskPhase.Pending && (!plan.isExit(i) || run.mainOutcome() != null)) {
        decide(i);
      } else if (t.phase() == TaskPhase.Retrying) {
        retryWhenDue(t);
      } else if (t.fanOut() != null && !t.phase().isFinal()) {
        for (int k = 0; k < t.fanOut().created(); k++) {
          TaskState inst = task(Instances.name(t.name(), k));
          if (inst != null && inst.phase() == TaskPhase.Retrying) {
            retryWhenDue(inst);
          } else if (inst != null && inst.phase() == TaskPhase.Pending && !inst.waitingForPool()) {
            relaunch(inst); // its slot was given back while the run was paused: ask again
          }
        }
        fill(i, null);
      }
    }
    return done();
  }

  /**
   * Relaunches a task left Retrying by a pause now, or sets its timer when its backoff is not over.
   */
  private void retryWhenDue(TaskState t) {
    TaskSpec spec = plan.task(plan.specIndexOf(t.name()));
    long delay =
        t.failureKind() == FailureKind.LOST
            ? 0
            : spec.backoff().delayMillisBeforeRetry(t.attemptsInBudget());
    Instant due = t.finishedAt() == null ? at : t.finishedAt().plusMillis(delay);
    if (!due.isAfter(at)) {
      relaunch(t);
    } else {
      commands.add(
          new StartTimer(run.runId(), run.dag(), t.name(), t.attempt(), TimerKind.RETRY, due));
    }
  }

  private void fail(TaskState t, Integer exitCode, FailureKind kind, String message) {
    TaskSpec spec = plan.task(plan.specIndexOf(t.name()));
    if (kind == FailureKind.LOST && t.lost() < Retries.LOST_LIMIT) {
      // Not the task's fault: again at once, outside the retry budget.
      TaskState retrying = t.ended(TaskPhase.Retrying, exitCode, kind, message, at);
      move(t, retrying.withLostAttempt());
      relaunch(task(t.name()));
      return;
    }
    boolean retry =
        Retries.retryable(spec, exitCode, kind)
            && t.attemptsInBudget() < spec.backoff().limit() + 1;
    if (!retry) {
      move(t, t.ended(TaskPhase.Failed, exitCode, kind, message, at));
      settleOrCount(t.name(), TaskPhase.Failed);
      return;
    }
    move(t, t.ended(TaskPhase.Retrying, exitCode, kind, message, at));
    long delay = spec.backoff().delayMillisBeforeRetry(t.attemptsInBudget());
    if (delay == 0) {
      relaunch(task(t.name()));
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

  /** Passes each settled task's outcome to its pending downstream tasks, which then decide. */
  private void drain() {
    for (int next = 0; next < settledCount; next++) {
      int i = settled[next];
      TaskPhase outcome = task(plan.name(i)).phase();
      int failed = outcome == TaskPhase.Failed ? 1 : 0;
      int skipped = outcome == TaskPhase.Skipped || outcome == TaskPhase.Cancelled ? 1 : 0;
      for (int j : plan.downstreamOf(i)) {
        TaskState down = task(plan.name(j));
        if (down.phase() == TaskPhase.Pending) {
          put(
              down.withUpstream(
                  down.unmetUpstream() - 1,
                  down.upstreamFailed() + failed,
                  down.upstreamSkipped() + skipped));
          decide(j);
        }
      }
    }
    settledCount = 0;
  }

  private void settle(int i) {
    if (settledCount == settled.length) {
      settled = Arrays.copyOf(settled, settledCount * 2);
    }
    settled[settledCount++] = i;
  }

  /** Applies the trigger rule of pending task {@code i} to its upstream counters. */
  private void decide(int i) {
    TaskState t = task(plan.name(i));
    TaskSpec spec = plan.task(i);
    int total = plan.upstreamOf(i).length;
    switch (TriggerRules.decide(
        spec.triggerRule(), total, t.unmetUpstream(), t.upstreamFailed(), t.upstreamSkipped())) {
      case START -> begin(i);
      case SKIP ->
          end(
              i,
              TaskPhase.Skipped,
              TriggerRules.whySkipped(
                  spec.triggerRule(),
                  total,
                  t.unmetUpstream(),
                  t.upstreamFailed(),
                  t.upstreamSkipped()));
      case WAIT -> {}
    }
  }

  /** Starts task {@code i} whose rule holds: launched, or ended by its {@code when}. */
  private void begin(int i) {
    if (run.paused()) {
      return; // stays Pending: resume decides it again
    }
    Condition condition = plan.condition(i);
    if (condition != null) {
      Condition.Result result = condition.evaluate(values().variables(condition));
      if (result.failed()) {
        end(i, TaskPhase.Failed, "condition error: " + result.error());
        return;
      }
      if (!result.value()) {
        end(i, TaskPhase.Skipped, "condition false: " + condition.source());
        return;
      }
    }
    if (plan.task(i).awaitsApproval()) {
      awaitApproval(i);
      return;
    }
    if (plan.task(i).fansOut()) {
      fanOut(i);
      return;
    }
    if (plan.task(i).runsDag()) {
      int depth = run.depth() + 1;
      int max = plan.limits().maxSubDagDepth();
      if (depth > max) {
        end(
            i,
            TaskPhase.Failed,
            "a child run at sub-DAG depth "
                + depth
                + " would exceed scheduler.max.subdag.depth ("
                + max
                + "): do the DAGs run each other?");
        return;
      }
    }
    if (!asksForSlot(task(plan.name(i)))) {
      launch(i);
    }
  }

  /**
   * Asks the pool of {@code t} (a task or an instance) for a slot for its next attempt, unless it
   * takes none (false: launch it now) or asked already (true: it waits on).
   */
  private boolean asksForSlot(TaskState t) {
    String pool = PoolSlots.poolOf(plan, t.name());
    if (pool == null) {
      return false;
    }
    if (!t.waitingForPool()) {
      put(PoolSlots.request(run, t, pool, at, commands));
    }
    return true;
  }

  /**
   * A slot for the attempt that waits for one: it is queued and launched. A grant the run cannot
   * use goes back at once: for an attempt that no longer waits (it was cancelled or skipped
   * meanwhile, or the run finished), and for any attempt of a paused run. A paused run asks for no
   * new slot, and a grant that arrives while it is paused is not kept for the resume: a pause may
   * last hours, and a slot held by nothing running would keep other DAGs' tasks waiting; the task
   * asks again (at the end of the queue) when the run is resumed.
   */
  Transition granted(RunEvent.PoolSlotGranted e) {
    TaskState t = task(e.task());
    Transition refused = PoolSlots.checkGrant(plan, run, t, e);
    if (refused != null) {
      return refused;
    }
    if (run.paused()) {
      put(t.withWaitingForPool(false));
      commands.add(PoolSlots.release(run.dag(), run.runId(), t.name(), e.attempt(), e.pool(), at));
      return done();
    }
    launchNow(t);
    return done();
  }

  /** The outcome of the child run that a {@code dagRef} task's attempt started. */
  Transition childEnded(RunEvent.ChildRunEnded e) {
    TaskState t = task(e.task());
    int i = plan.indexOf(e.task());
    if (t == null || i < 0 || !plan.task(i).runsDag()) {
      return Rejections.unknownTask(plan, run, e.task());
    }
    if (t.attempt() != e.attempt() || !t.phase().isActive()) {
      return Transition.rejected(
          run,
          Rejection.Reason.STALE_ATTEMPT,
          "Expected the child run of the current attempt "
              + t.attempt()
              + " of task '"
              + t.name()
              + "' in run "
              + run.runId()
              + " ("
              + t.phase()
              + ") to end, but got attempt "
              + e.attempt());
    }
    String why = "child run " + e.childRunId() + " " + e.phase();
    if (e.phase() == RunPhase.Succeeded) {
      move(t, t.ended(TaskPhase.Succeeded, 0, null, why, at));
      settle(i);
    } else {
      String message = e.message() == null ? why : why + ": " + e.message();
      fail(
          t,
          null,
          e.phase() == RunPhase.Cancelled ? FailureKind.KILLED : FailureKind.EXITED,
          message);
    }
    return done();
  }

  /** Ends pending task {@code i} without an attempt (skipped, or failed by its condition). */
  private void end(int i, TaskPhase phase, String why) {
    TaskState t = task(plan.name(i));
    move(t, t.ended(phase, null, null, why, at));
    settle(i);
  }

  /** Starts the exit tasks whose rules hold, now that every main task is final. */
  private void startExits() {
    run = run.withMainOutcome(RunOutcome.ofMainTasks(run));
    for (int i = plan.mainSize(); i < plan.size(); i++) {
      if (task(plan.name(i)).phase() == TaskPhase.Pending) {
        decide(i);
      }
    }
  }

  private void launch(int i) {
    TaskState t = task(plan.name(i));
    TaskState queued = t.queued(t.attempt() + 1, at);
    move(t, queued);
    if (plan.task(i).runsDag()) {
      commands.addAll(SubDagRuns.request(plan, run, queued, values(), at));
    } else {
      commands.add(launchOf(i, queued, null));
    }
  }

  /** The next attempt of {@code t}, a task or an instance, after a failed one. */
  private void relaunch(TaskState t) {
    if (run.paused()) {
      return; // stays Retrying: resume relaunches it when its backoff is over
    }
    if (!asksForSlot(t)) {
      launchNow(t);
    }
  }

  /** Launches the next attempt of {@code t}, a task or an instance, now. */
  private void launchNow(TaskState t) {
    int i = plan.specIndexOf(t.name());
    if (!plan.isInstance(t.name())) {
      launch(i);
      return;
    }
    TaskState queued = t.queued(t.attempt() + 1, at);
    move(t, queued);
    List<Object> items = ForEachItems.of(plan, i, run.runId(), values()).list();
    commands.add(launchOf(i, queued, items.get(Instances.index(t.name()))));
  }

  /** The launch of {@code queued}: task {@code i}, or its instance for {@code item}. */
  private LaunchTask launchOf(int i, TaskState queued, Object item) {
    RunValues values = item == null ? values() : new RunValues(plan, run, this::task, item);
    return new LaunchTask(
        run.runId(),
        run.dag(),
        run.dagVersion(),
        queued.name(),
        queued.attempt(),
        Containers.of(
            plan.spec(),
            plan.task(i),
            queued.name(),
            run.parameters(),
            run,
            queued.attempt(),
            values),
        at);
  }

  /**
   * Starts {@code forEach} task {@code i}: fails it when its list can not be had or is too long,
   * succeeds it at once when the list is empty, else makes it Running and creates the instances
   * that may start.
   */
  private void fanOut(int i) {
    ForEachItems.Items items = ForEachItems.of(plan, i, run.runId(), values());
    int max = plan.limits().maxForEachItems();
    if (items.error() != null) {
      end(i, TaskPhase.Failed, items.error());
    } else if (items.list().size() > max) {
      end(
          i,
          TaskPhase.Failed,
          "forEach yields "
              + items.list().size()
              + " items, more than scheduler.max.foreach.items ("
              + max
              + ")");
    } else if (items.list().isEmpty()) {
      end(i, TaskPhase.Succeeded, "forEach yields no item");
    } else {
      TaskState t = task(plan.name(i));
      move(t, t.started(at).withFanOut(FanOut.of(items.list().size())));
      fill(i, items.list());
    }
  }

  /**
   * Creates the next instances of {@code forEach} task {@code i} while its parallelism allows (none
   * after one failed for good, or once the run is being cancelled).
   */
  private void fill(int i, List<Object> known) {
    TaskState group = task(plan.name(i));
    FanOut f = group.fanOut();
    Integer cap = plan.task(i).parallelism();
    if (run.cancelRequested() || run.paused() || !f.mayCreate(cap)) {
      return;
    }
    List<Object> items =
        known != null ? known : ForEachItems.of(plan, i, run.runId(), values()).list();
    if (items == null || items.size() != f.total()) {
      throw new IllegalStateException(
          "Expected the forEach of task '" + group.name() + "' to yield the same list again");
    }
    while (f.mayCreate(cap)) {
      int k = f.created();
      f = f.oneCreated();
      String name = Instances.name(group.name(), k);
      // An instance made again (a retried run) keeps counting its attempts.
      TaskState before = task(name);
      TaskState fresh = before == null ? TaskState.pending(name, 0) : before.reset(0);
      String pool = PoolSlots.poolOf(plan, name);
      if (pool != null) {
        put(PoolSlots.request(run, fresh, pool, at, commands));
        continue; // launched once its slot is granted
      }
      TaskState queued = fresh.queued(fresh.attempt() + 1, at);
      put(queued);
      commands.add(phaseChanged(null, queued));
      commands.add(launchOf(i, queued, items.get(k)));
    }
    put(group.withFanOut(f));
  }

  /** A task that ended is settled; an instance's outcome is counted on its task instead. */
  private void settleOrCount(String name, TaskPhase outcome) {
    int i = plan.indexOf(name);
    if (i >= 0) {
      settle(i);
      return;
    }
    int g = plan.specIndexOf(name);
    TaskState group = task(plan.name(g));
    put(group.withFanOut(group.fanOut().ended(outcome)));
    fill(g, null);
    group = task(plan.name(g));
    FanOut f = group.fanOut();
    if (f.finished()) {
      boolean failed = f.failed() > 0;
      String why =
          failed
              ? f.failed()
                  + " of "
                  + f.total()
                  + " instances failed, "
                  + f.succeeded()
                  + " succeeded"
              : null;
      move(
          group, group.ended(failed ? TaskPhase.Failed : TaskPhase.Succeeded, null, null, why, at));
      settle(g);
    }
  }

  /** Cancels the instances of {@code forEach} task {@code i} that are not final. */
  private TaskState cancelInstances(int i, TaskState group, String reason) {
    FanOut f = group.fanOut();
    for (int k = 0; k < f.created(); k++) {
      TaskState inst = task(Instances.name(group.name(), k));
      if (inst != null && !inst.phase().isFinal()) {
        if (inst.phase().isActive()) {
          kill(inst, reason);
        }
        move(inst, inst.ended(TaskPhase.Cancelled, null, null, reason, at));
        f = f.ended(TaskPhase.Cancelled);
      }
    }
    TaskState counted = group.withFanOut(f);
    put(counted);
    return counted;
  }

  /** Calls {@code action} on each created instance of {@code forEach} task {@code i}. */
  private void forEachInstance(
      int i, TaskState group, java.util.function.Consumer<TaskState> action) {
    for (int k = 0; k < group.fanOut().created(); k++) {
      TaskState inst = task(Instances.name(plan.name(i), k));
      if (inst != null && inst.phase().isActive()) {
        action.accept(inst);
      }
    }
  }

  /**
   * Stops the active attempt of {@code t}: a KillTask, or for a dagRef task a cancel of its child.
   */
  private void kill(TaskState t, String reason) {
    int i = plan.indexOf(t.name());
    if (i >= 0 && plan.task(i).awaitsApproval()) {
      return; // nothing runs: the task only waits for a decision
    }
    if (i >= 0 && plan.task(i).runsDag()) {
      commands.add(SubDagRuns.cancel(plan, run, t, reason));
    } else {
      commands.add(new KillTask(run.runId(), run.dag(), t.name(), t.attempt(), reason, at));
    }
  }

  private RunValues values() {
    return new RunValues(plan, run, this::task);
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
    RunCommand release = PoolSlots.releaseOnMove(plan, run, from, to, at);
    if (release != null) {
      commands.add(release);
    }
    commands.add(phaseChanged(from.phase(), to));
    int i = plan.indexOf(to.name());
    if (i < 0) {
      return; // an instance: the run counts its forEach task, not each instance
    }
    int exits = run.exitUnfinished();
    int allowed = run.allowedFailures();
    if (plan.tallies()) {
      if (plan.isExit(i)) {
        exits += (from.phase().isFinal() ? 1 : 0) - (to.phase().isFinal() ? 1 : 0);
      }
      if (plan.task(i).allowFailure()) {
        allowed +=
            (to.phase() == TaskPhase.Failed ? 1 : 0) - (from.phase() == TaskPhase.Failed ? 1 : 0);
      }
    }
    run = run.withTallies(run.counts().moved(from.phase(), to.phase()), exits, allowed);
  }

  private TaskPhaseChanged phaseChanged(TaskPhase from, TaskState to) {
    return new TaskPhaseChanged(
        run.runId(),
        run.dag(),
        to.name(),
        to.attempt(),
        from,
        to.phase(),
        to.exitCode(),
        to.failureKind(),
        to.message(),
        at,
        to.phase() == TaskPhase.Succeeded ? to.outputs() : Map.of());
  }

  private Transition done() {
    drain();
    if (run.phase() == RunPhase.Running
        && plan.size() > plan.mainSize()
        && run.mainOutcome() == null
        && run.mainUnfinished() == 0) {
      startExits();
      drain();
    }
    if (run.phase() == RunPhase.Running && run.counts().unfinished() == 0) {
      finish();
    }
    return new Transition(run, List.copyOf(changed.values()), commands, null);
  }

  /** Ends the run; an exit task that failed (without allowFailure) makes it Failed. */
  private void finish() {
    boolean exitFailed = false;
    for (int i = plan.mainSize(); i < plan.size(); i++) {
      exitFailed |= !plan.task(i).allowFailure() && task(plan.name(i)).phase() == TaskPhase.Failed;
    }
    RunPhase to = RunOutcome.finalPhase(run, exitFailed);
    if (run.paused()) {
      // Every task ended while the run was paused: nothing is left to hold.
      run = run.withPaused(false);
      commands.add(new RunCommand.RunPauseChanged(run.runId(), run.dag(), false, null, at));
    }
    run = run.withPhase(to, at, RunOutcome.message(run, to));
    commands.add(runChanged(RunPhase.Running, to));
    if (run.parent() != null) {
      commands.add(SubDagRuns.ended(run.parent(), run.runId(), run.dag(), to, run.message(), at));
    }
    if (plan.spec().workspaceEnabled()) {
      commands.add(new ReleaseRun(run.runId(), run.dag(), at));
    }
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

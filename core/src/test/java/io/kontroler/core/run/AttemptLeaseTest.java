package io.kontroler.core.run;

import static io.kontroler.core.run.RunHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunEvent.LeaseExpired;
import io.kontroler.core.run.RunEvent.TaskAccepted;
import org.junit.jupiter.api.Test;

class AttemptLeaseTest {
  private static final long LEASE = 6000;

  @Test
  void theExecutorThatAcceptsAnAttemptHoldsItUntilTheNextAttempt() {
    RunHarness h = RunHarness.of(task("a")).start();

    Transition t = accept(h, "a", "exec-1");

    assertThat(t.isRejected()).isFalse();
    assertThat(t.commands()).isEmpty();
    assertThat(h.tasks.get("a").executor()).isEqualTo("exec-1");
    h.startTask("a");
    assertThat(h.tasks.get("a").executor()).isEqualTo("exec-1");
    h.fail("a", FailureKind.LOST);
    assertThat(h.attempt("a")).isEqualTo(2);
    assertThat(h.tasks.get("a").executor()).isNull();
  }

  @Test
  void aLaterAcceptanceByAnotherExecutorTransfersTheAttempt() {
    RunHarness h = RunHarness.of(task("a")).start();
    accept(h, "a", "exec-1");
    h.startTask("a");

    assertThat(accept(h, "a", "exec-2").isRejected()).isFalse();
    assertThat(h.tasks.get("a").executor()).isEqualTo("exec-2");

    Transition again = accept(h, "a", "exec-2");
    assertThat(again.rejection().reason()).isEqualTo(Rejection.Reason.DUPLICATE_OUTCOME);
    Transition old = expire(h, "a", "exec-1");
    assertThat(old.rejection().reason()).isEqualTo(Rejection.Reason.STALE_ATTEMPT);
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Running);
  }

  @Test
  void anAcceptanceOfAnAttemptThatIsNotCurrentOrActiveChangesNothing() {
    RunHarness h = RunHarness.of(task("a"), task("b", "a")).start();
    accept(h, "a", "exec-1");

    Transition stale =
        h.apply(new TaskAccepted(RunHarness.RUN, RunHarness.DAG, "a", 7, "exec-2", h.tick()));
    assertThat(stale.rejection().reason()).isEqualTo(Rejection.Reason.STALE_ATTEMPT);
    Transition pending = accept(h, "b", "exec-2");
    assertThat(pending.rejection().reason()).isEqualTo(Rejection.Reason.DUPLICATE_OUTCOME);
    assertThat(h.tasks.get("b").executor()).isNull();
    h.succeed("a");
    Transition late =
        h.apply(new TaskAccepted(RunHarness.RUN, RunHarness.DAG, "a", 1, "exec-2", h.tick()));
    assertThat(late.rejection().reason()).isEqualTo(Rejection.Reason.DUPLICATE_OUTCOME);
    assertThat(h.tasks.get("a").executor()).isEqualTo("exec-1");
  }

  @Test
  void anExpiredLeaseKillsTheAttemptThenRetriesItAsLost() {
    RunHarness h = RunHarness.of(task("a")).start();
    accept(h, "a", "exec-1");
    h.startTask("a");
    int before = h.commands.size();

    Transition t = expire(h, "a", "exec-1");

    assertThat(t.isRejected()).isFalse();
    var out = h.commands.subList(before, h.commands.size());
    assertThat(out).filteredOn(c -> c instanceof KillTask || c instanceof LaunchTask).hasSize(2);
    KillTask kill = (KillTask) out.stream().filter(KillTask.class::isInstance).findFirst().get();
    assertThat(kill.attempt()).isEqualTo(1);
    assertThat(kill.reason()).contains("exec-1").contains("6000 ms");
    assertThat(out.indexOf(kill))
        .isLessThan(
            out.indexOf(out.stream().filter(LaunchTask.class::isInstance).findFirst().get()));
    assertThat(h.launches()).extracting(LaunchTask::attempt).containsExactly(1, 2);
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Queued);
    assertThat(h.tasks.get("a").lost()).isEqualTo(1);
    assertThat(h.taskChanges())
        .filteredOn(c -> c.to() == TaskPhase.Retrying)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.failureKind()).isEqualTo(FailureKind.LOST);
              assertThat(c.message()).contains("exec-1").contains("lease of 6000 ms");
            });
  }

  @Test
  void aQueuedAttemptWhoseHolderIsGoneIsLostToo() {
    RunHarness h = RunHarness.of(task("a")).start();
    accept(h, "a", "exec-1");

    expire(h, "a", "exec-1");

    assertThat(h.attempt("a")).isEqualTo(2);
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Queued);
  }

  @Test
  void aLateOutcomeOrASecondExpiryAfterTheLeaseChangesNothing() {
    RunHarness h = RunHarness.of(task("a")).start();
    accept(h, "a", "exec-1");
    h.startTask("a");
    expire(h, "a", "exec-1");
    int commands = h.commands.size();

    Transition twice =
        h.apply(
            new LeaseExpired(RunHarness.RUN, RunHarness.DAG, "a", 1, "exec-1", LEASE, h.tick()));
    Transition late =
        h.apply(new RunEvent.TaskSucceeded(RunHarness.RUN, RunHarness.DAG, "a", 1, h.tick()));
    Transition lateAccept =
        h.apply(new TaskAccepted(RunHarness.RUN, RunHarness.DAG, "a", 1, "exec-1", h.tick()));

    assertThat(twice.rejection().reason()).isEqualTo(Rejection.Reason.STALE_ATTEMPT);
    assertThat(late.rejection().reason()).isEqualTo(Rejection.Reason.STALE_ATTEMPT);
    assertThat(lateAccept.rejection().reason()).isEqualTo(Rejection.Reason.STALE_ATTEMPT);
    assertThat(h.commands).hasSize(commands);
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Queued);
    assertThat(h.attempt("a")).isEqualTo(2);
  }

  @Test
  void anAttemptLostMoreOftenThanTheFreeLimitCountsAgainstTheRetryBudget() {
    RunHarness h = RunHarness.of(task("a")).start();
    for (int i = 0; i < Retries.LOST_LIMIT; i++) {
      accept(h, "a", "exec-" + i);
      expire(h, "a", "exec-" + i);
    }
    accept(h, "a", "exec-last");

    expire(h, "a", "exec-last");

    assertThat(h.phase("a")).isEqualTo(TaskPhase.Failed);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void anInternalFailureFailsTheRunAndStopsItsActiveAttemptsWithoutTouchingTasks() {
    RunHarness h = RunHarness.of(task("a"), task("b")).start();
    h.startTask("a");

    Transition t =
        RunMachine.failInternal(
            h.plan, h.run, h.tasks::get, "NullPointerException in TaskSucceeded", h.tick(), true);

    assertThat(t.changedTasks()).isEmpty();
    assertThat(t.run().phase()).isEqualTo(RunPhase.Failed);
    assertThat(t.run().message()).startsWith("INTERNAL: ").contains("NullPointerException");
    assertThat(t.commands()).filteredOn(KillTask.class::isInstance).hasSize(2);
    assertThat(t.commands())
        .last()
        .isInstanceOfSatisfying(
            RunCommand.RunPhaseChanged.class,
            c -> {
              assertThat(c.to()).isEqualTo(RunPhase.Failed);
              assertThat(c.message()).contains("INTERNAL");
            });
  }

  private static Transition accept(RunHarness h, String task, String executor) {
    return h.apply(
        new TaskAccepted(
            RunHarness.RUN, RunHarness.DAG, task, h.attempt(task), executor, h.tick()));
  }

  private static Transition expire(RunHarness h, String task, String executor) {
    return h.apply(
        new LeaseExpired(
            RunHarness.RUN, RunHarness.DAG, task, h.attempt(task), executor, LEASE, h.tick()));
  }
}

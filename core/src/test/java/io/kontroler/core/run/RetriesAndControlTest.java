package io.kontroler.core.run;

import static io.kontroler.core.run.RunHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Backoff;
import io.kontroler.core.dag.Conditional;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.PodTemplate;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunCommand.StartTimer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetriesAndControlTest {

  @Test
  void retriesUpToLimitThenFailsWithoutExceedingLimitPlusOneAttempts() {
    RunHarness h = RunHarness.of(task("a").withBackoff(Backoff.ofLimit(2))).start();

    h.fail("a", 1);
    h.fail("a", 1);
    h.fail("a", 1);

    assertThat(h.launched()).containsExactly("a", "a", "a");
    assertThat(h.launches()).extracting(RunCommand.LaunchTask::attempt).containsExactly(1, 2, 3);
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Failed);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void conditionalRetriesOnlyTheListedExitCodes() {
    var conditional = new Conditional(true, List.of(42));
    RunHarness h =
        RunHarness.of(task("a").withBackoff(Backoff.ofLimit(5)).withConditional(conditional))
            .start();

    h.fail("a", 42);
    assertThat(h.attempt("a")).isEqualTo(2);
    h.fail("a", 1);

    assertThat(h.phase("a")).isEqualTo(TaskPhase.Failed);
    assertThat(h.launches()).hasSize(2);
  }

  @Test
  void neverStartedIsNotRetriedAndLostIsRetriedDespiteRetryCodes() {
    var conditional = new Conditional(true, List.of(42));
    RunHarness h =
        RunHarness.of(
                task("a").withBackoff(Backoff.ofLimit(3)).withConditional(conditional),
                task("b").withBackoff(Backoff.ofLimit(3)))
            .start();

    h.fail("a", FailureKind.LOST);
    h.fail("b", FailureKind.NEVER_STARTED);

    assertThat(h.attempt("a")).isEqualTo(2);
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Queued);
    assertThat(h.phase("b")).isEqualTo(TaskPhase.Failed);
  }

  @Test
  void lostAttemptsAreRetriedAtOnceOutsideTheBudgetUpToTheirLimit() {
    RunHarness h = RunHarness.of(task("a").withBackoff(new Backoff(1, 30, 2.0, 0))).start();

    for (int i = 0; i < Retries.LOST_LIMIT; i++) {
      h.fail("a", FailureKind.LOST);
      assertThat(h.phase("a")).isEqualTo(TaskPhase.Queued);
    }
    h.fail("a", FailureKind.LOST); // past the limit: counts like an exit
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Retrying);
    assertThat(h.commands.get(h.commands.size() - 1)).isInstanceOf(StartTimer.class);

    assertThat(h.launches()).extracting(RunCommand.LaunchTask::attempt).containsExactly(1, 2, 3, 4);
    assertThat(h.tasks.get("a").attemptsInBudget()).isEqualTo(1);
  }

  @Test
  void aLostAttemptDoesNotUseUpTheRetryBudget() {
    RunHarness h = RunHarness.of(task("a").withBackoff(Backoff.ofLimit(1))).start();

    h.fail("a", 1);
    h.fail("a", FailureKind.LOST);
    h.fail("a", 1);

    assertThat(h.launches()).extracting(RunCommand.LaunchTask::attempt).containsExactly(1, 2, 3);
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Failed);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void backoffDelayWaitsForTheRetryTimer() {
    RunHarness h = RunHarness.of(task("a").withBackoff(new Backoff(2, 10, 3.0, 20))).start();

    var failedAt = h.tick();
    h.apply(
        new RunEvent.TaskFailed(
            RunHarness.RUN, RunHarness.DAG, "a", 1, 1, FailureKind.EXITED, "boom", failedAt));

    assertThat(h.phase("a")).isEqualTo(TaskPhase.Retrying);
    StartTimer timer = (StartTimer) h.commands.get(h.commands.size() - 1);
    assertThat(timer.kind()).isEqualTo(TimerKind.RETRY);
    assertThat(Duration.between(failedAt, timer.dueAt())).isEqualTo(Duration.ofSeconds(10));

    h.apply(
        new RunEvent.TimerFired(
            RunHarness.RUN, RunHarness.DAG, "a", 1, TimerKind.RETRY, timer.dueAt()));
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Queued);
    assertThat(h.attempt("a")).isEqualTo(2);

    var secondFailure = h.tick();
    h.apply(
        new RunEvent.TaskFailed(
            RunHarness.RUN, RunHarness.DAG, "a", 2, 1, FailureKind.EXITED, "boom", secondFailure));
    StartTimer second = (StartTimer) h.commands.get(h.commands.size() - 1);
    // 10 s times factor 3 is 30 s, capped at maxDelaySeconds 20
    assertThat(Duration.between(secondFailure, second.dueAt())).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void deadlineTimerKillsTheAttemptAndCountsAsTimedOut() {
    RunHarness h =
        RunHarness.of(task("a").withPodTemplate(PodTemplate.EMPTY.withActiveDeadlineSeconds(30L)))
            .start();
    h.startTask("a");
    StartTimer timeout = (StartTimer) h.commands.get(h.commands.size() - 1);
    assertThat(timeout.kind()).isEqualTo(TimerKind.TIMEOUT);

    h.apply(
        new RunEvent.TimerFired(
            RunHarness.RUN, RunHarness.DAG, "a", 1, TimerKind.TIMEOUT, timeout.dueAt()));

    assertThat(h.commands).anySatisfy(c -> assertThat(c).isInstanceOf(KillTask.class));
    assertThat(h.tasks.get("a").failureKind()).isEqualTo(FailureKind.TIMED_OUT);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void staleAttemptIsRejectedWithAMessageNamingTheIds() {
    RunHarness h = RunHarness.of(task("b").withBackoff(Backoff.ofLimit(3))).start();
    h.fail("b", 1);

    Transition t =
        h.apply(new RunEvent.TaskSucceeded(RunHarness.RUN, RunHarness.DAG, "b", 1, h.tick()));

    assertThat(t.rejection().reason()).isEqualTo(Rejection.Reason.STALE_ATTEMPT);
    assertThat(t.rejection().message())
        .isEqualTo("Expected attempt 2 of task 'b' in run r-17, but got attempt 1");
    assertThat(t.commands()).isEmpty();
    assertThat(t.changedTasks()).isEmpty();
  }

  @Test
  void duplicateOutcomeChangesNothing() {
    RunHarness h = RunHarness.of(task("a"), task("b", "a")).start();
    h.succeed("a");
    int before = h.commands.size();

    Transition t =
        h.apply(new RunEvent.TaskSucceeded(RunHarness.RUN, RunHarness.DAG, "a", 1, h.tick()));

    assertThat(t.rejection().reason()).isEqualTo(Rejection.Reason.DUPLICATE_OUTCOME);
    assertThat(h.commands).hasSize(before);
  }

  @Test
  void cancelKillsActiveTasksAndCancelsTheRest() {
    RunHarness h = RunHarness.of(task("a"), task("b", "a"), task("c")).start();
    h.startTask("a");

    h.apply(new RunEvent.CancelRequested(RunHarness.RUN, RunHarness.DAG, "user", h.tick()));

    assertThat(h.commands)
        .filteredOn(c -> c instanceof KillTask)
        .extracting(c -> ((KillTask) c).task())
        .containsExactlyInAnyOrder("a", "c");
    assertThat(h.tasks.values())
        .allSatisfy(t -> assertThat(t.phase()).isEqualTo(TaskPhase.Cancelled));
    assertThat(h.run.phase()).isEqualTo(RunPhase.Cancelled);
    assertThat(h.fail("a", FailureKind.KILLED).rejection().reason())
        .isEqualTo(Rejection.Reason.RUN_FINISHED);
  }

  @Test
  void retryRunReRunsFailedAndSkippedTasksKeepingWhatSucceeded() {
    RunHarness h = RunHarness.of(task("a"), task("b", "a"), task("c", "b"), task("d")).start();
    h.succeed("a");
    h.succeed("d");
    h.fail("b", 1);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);

    h.apply(new RunEvent.RetryRequested(RunHarness.RUN, RunHarness.DAG, h.tick()));

    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Succeeded);
    assertThat(h.phase("b")).isEqualTo(TaskPhase.Queued);
    assertThat(h.attempt("b")).isEqualTo(2);
    assertThat(h.phase("c")).isEqualTo(TaskPhase.Pending);
    h.succeed("b");
    h.succeed("c");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.launched()).containsExactly("a", "d", "b", "b", "c");
  }

  @Test
  void retryOfARunningRunIsRejected() {
    RunHarness h = RunHarness.of(task("a")).start();

    Transition t = h.apply(new RunEvent.RetryRequested(RunHarness.RUN, RunHarness.DAG, h.tick()));

    assertThat(t.rejection().reason()).isEqualTo(Rejection.Reason.NOT_RETRYABLE);
  }

  @Test
  void parametersReachTasksAsEnvironmentAndSecretsStayReferences() {
    DagSpec spec =
        DagSpec.of(List.of(task("a").withParameters(List.of("first", "second"))))
            .withParameters(
                List.of(
                    new ParameterSpec("first", "one", null),
                    new ParameterSpec("second", null, "creds")));
    RunHarness h = new RunHarness(spec).start(Map.of("first", new ParameterValue.Literal("1")));

    assertThat(h.launches().get(0).container().env())
        .endsWith(EnvVar.literal("first", "1"), EnvVar.fromSecret("second", "creds"));
  }

  @Test
  void overridingAnUndeclaredParameterRejectsTheRun() {
    RunHarness h = RunHarness.of(task("a"));

    Transition t =
        h.apply(
            new RunEvent.RunRequested(
                RunHarness.RUN,
                RunHarness.DAG,
                1,
                "run",
                Map.of("nope", new ParameterValue.Literal("x")),
                h.tick()));

    assertThat(t.run()).isNull();
    assertThat(t.rejection().reason()).isEqualTo(Rejection.Reason.INVALID_REQUEST);
    RunRejected rejected = (RunRejected) t.commands().get(0);
    assertThat(rejected.problems().get(0).message()).contains("'nope'");
  }

  @Test
  void eventsForAnUnknownRunOrTaskAreRejected() {
    RunHarness h = RunHarness.of(task("a"));
    assertThat(
            h.apply(new RunEvent.TaskStarted("other", RunHarness.DAG, "a", 1, h.tick()))
                .rejection()
                .reason())
        .isEqualTo(Rejection.Reason.UNKNOWN_RUN);
    h.start();
    assertThat(
            h.apply(new RunEvent.TaskStarted(RunHarness.RUN, RunHarness.DAG, "zz", 1, h.tick()))
                .rejection()
                .reason())
        .isEqualTo(Rejection.Reason.UNKNOWN_TASK);
    assertThat(
            h.apply(
                    new RunEvent.RunRequested(
                        RunHarness.RUN, RunHarness.DAG, 1, "run", Map.of(), h.tick()))
                .rejection()
                .reason())
        .isEqualTo(Rejection.Reason.DUPLICATE_RUN);
  }
}

package io.kontroler.core.run;

import static io.kontroler.core.run.RunHarness.DAG;
import static io.kontroler.core.run.RunHarness.RUN;
import static io.kontroler.core.run.RunHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Backoff;
import io.kontroler.core.run.RunCommand.RunPauseChanged;
import io.kontroler.core.run.RunCommand.StartTimer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PauseAndResumeTest {

  @Test
  void whilePausedNoTaskStartsAndRunningOnesFinishWithTheirOutcomesRecorded() {
    RunHarness h = RunHarness.of(task("a"), task("b", "a"), task("c")).start();
    h.startTask("a");

    h.apply(pause(h));
    h.succeed("a");
    h.fail("c", 3);

    assertThat(h.launched()).containsExactly("a", "c");
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Succeeded);
    assertThat(h.phase("c")).isEqualTo(TaskPhase.Failed);
    assertThat(h.phase("b")).isEqualTo(TaskPhase.Pending);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    assertThat(h.run.paused()).isTrue();
    assertThat(h.commands)
        .filteredOn(RunPauseChanged.class::isInstance)
        .containsExactly(new RunPauseChanged(RUN, DAG, true, "alice", h.applied.get(2).at()));
  }

  @Test
  void resumeStartsWhatBecameReadyAndTheRunGoesOnToSuccess() {
    RunHarness h = RunHarness.of(task("a"), task("b", "a"), task("c", "b")).start();
    h.apply(pause(h));
    h.succeed("a");

    h.apply(resume(h));

    assertThat(h.run.paused()).isFalse();
    assertThat(h.launched()).containsExactly("a", "b");
    h.succeed("b");
    h.succeed("c");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.commands)
        .filteredOn(RunPauseChanged.class::isInstance)
        .extracting(c -> ((RunPauseChanged) c).paused())
        .containsExactly(true, false);
  }

  @Test
  void aRetryDueWhilePausedWaitsForResumeAndOneNotDueYetGetsItsTimerAgain() {
    RunHarness h =
        RunHarness.of(task("a").withBackoff(new Backoff(2, 30, 1.0, 0)), task("b")).start();
    h.fail("a", 1);
    h.apply(pause(h));

    h.apply(new RunEvent.TimerFired(RUN, DAG, "a", 1, TimerKind.RETRY, h.tick().plusSeconds(40)));

    assertThat(h.phase("a")).isEqualTo(TaskPhase.Retrying);
    assertThat(h.launched()).containsExactly("a", "b");

    h.apply(new RunEvent.ResumeRequested(RUN, DAG, "alice", h.tick().plusSeconds(60)));
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Queued);
    assertThat(h.launches()).extracting(RunCommand.LaunchTask::attempt).containsExactly(1, 1, 2);

    h.fail("a", 1);
    h.apply(pause(h));
    h.apply(resume(h)); // only a second later: the 30 s backoff is not over
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Retrying);
    StartTimer again = (StartTimer) h.commands.get(h.commands.size() - 1);
    assertThat(again.kind()).isEqualTo(TimerKind.RETRY);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.dueAt()).isEqualTo(h.tasks.get("a").finishedAt().plusSeconds(30));
  }

  @Test
  void aForEachTaskCreatesNoInstanceWhilePausedAndFillsUpOnResume() {
    RunHarness h = RunHarness.of(task("fan").withForEach(List.of("x", "y", "z"), 1)).start();
    assertThat(h.activeInstances()).containsExactly("fan[0]");
    h.apply(pause(h));

    h.succeed("fan[0]");
    assertThat(h.activeInstances()).isEmpty();

    h.apply(resume(h));
    assertThat(h.activeInstances()).containsExactly("fan[1]");
  }

  @Test
  void cancelWhilePausedEndsTheRunAndItsExitTasksStillRun() {
    RunHarness h =
        new RunHarness(
            io.kontroler.core.dag.DagSpec.of(List.of(task("a"), task("b", "a")))
                .withOnExit(List.of(task("cleanup"))));
    h.start();
    h.startTask("a");
    h.apply(pause(h));

    h.cancel();

    assertThat(h.run.paused()).isFalse();
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Cancelled);
    assertThat(h.phase("b")).isEqualTo(TaskPhase.Cancelled);
    assertThat(h.launched()).containsExactly("a", "cleanup");
    h.succeed("cleanup");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Cancelled);
  }

  @Test
  void aRunWhoseTasksAllEndWhilePausedFinishesAndIsNoLongerPaused() {
    RunHarness h = RunHarness.of(task("a")).start();
    h.apply(pause(h));

    h.succeed("a");

    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.run.paused()).isFalse();
  }

  @Test
  void pausingAFinishedOrPausedRunAndResumingARunningOneAreRejectedSayingWhy() {
    RunHarness h = RunHarness.of(task("a")).start();
    h.apply(resume(h));
    assertThat(h.lastRejection().reason()).isEqualTo(Rejection.Reason.NOT_PAUSABLE);
    assertThat(h.lastRejection().message()).contains("to be paused, but it is running");

    h.apply(pause(h));
    h.apply(pause(h));
    assertThat(h.lastRejection().message()).contains("it is paused already");

    h.succeed("a");
    h.apply(pause(h));
    assertThat(h.lastRejection().reason()).isEqualTo(Rejection.Reason.RUN_FINISHED);
    assertThat(h.lastRejection().message())
        .isEqualTo(
            "Expected run " + RUN + " to be active, but it is Succeeded (PauseRequested ignored)");
  }

  private static RunEvent pause(RunHarness h) {
    return new RunEvent.PauseRequested(RUN, DAG, "alice", h.tick());
  }

  private static RunEvent resume(RunHarness h) {
    return new RunEvent.ResumeRequested(RUN, DAG, "alice", h.tick());
  }
}

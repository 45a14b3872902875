package io.kontroler.core.run;

import static io.kontroler.core.run.RunHarness.DAG;
import static io.kontroler.core.run.RunHarness.RUN;
import static io.kontroler.core.run.RunHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Approval;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.StartTimer;
import io.kontroler.core.run.RunCommand.TaskApprovalRecorded;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalTest {
  private static final TaskSpec SIGN_OFF =
      new TaskSpec(
              "sign-off", null, null, null, null, List.of("build"), null, null, null, null, null)
          .withApproval(new Approval(List.of("release-managers", "carol"), 3600));

  private static RunHarness waiting() {
    RunHarness h = RunHarness.of(task("build"), SIGN_OFF, task("deploy", "sign-off")).start();
    h.succeed("build");
    return h;
  }

  @Test
  void aReadyApprovalTaskLaunchesNothingAndWaitsWithItsTimeoutTimer() {
    RunHarness h = waiting();

    assertThat(h.launched()).containsExactly("build");
    assertThat(h.phase("sign-off")).isEqualTo(TaskPhase.Running);
    assertThat(h.tasks.get("sign-off").message())
        .isEqualTo("waiting for approval by one of [release-managers, carol]");
    StartTimer timer = (StartTimer) h.commands.get(h.commands.size() - 1);
    assertThat(timer.kind()).isEqualTo(TimerKind.APPROVAL);
    assertThat(timer.task()).isEqualTo("sign-off");
    assertThat(timer.dueAt()).isEqualTo(h.tasks.get("sign-off").startedAt().plusSeconds(3600));
  }

  @Test
  void anApproverByRoleApprovesAndTheRunGoesOnWithWhoAndWhenRecorded() {
    RunHarness h = waiting();

    var at = h.tick();
    h.apply(decision("alice", List.of("release-managers"), true, "ship it", at));

    assertThat(h.phase("sign-off")).isEqualTo(TaskPhase.Succeeded);
    assertThat(h.tasks.get("sign-off").message()).isEqualTo("approved by alice: ship it");
    assertThat(h.commands)
        .filteredOn(TaskApprovalRecorded.class::isInstance)
        .containsExactly(
            new TaskApprovalRecorded(RUN, DAG, "sign-off", 1, true, "alice", "ship it", at));
    assertThat(h.launched()).containsExactly("build", "deploy");
    h.succeed("deploy");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void anApproverByNameRejectsAndTheTaskFailsWithoutRetryAndTheRunFails() {
    RunHarness h =
        RunHarness.of(
                task("build"),
                SIGN_OFF.withBackoff(io.kontroler.core.dag.Backoff.ofLimit(3)),
                task("deploy", "sign-off"))
            .start();
    h.succeed("build");

    h.apply(decision("carol", List.of(), false, "not on a Friday", h.tick()));

    TaskState t = h.tasks.get("sign-off");
    assertThat(t.phase()).isEqualTo(TaskPhase.Failed);
    assertThat(t.failureKind()).isEqualTo(FailureKind.REJECTED);
    assertThat(t.message()).isEqualTo("rejected by carol: not on a Friday");
    assertThat(h.phase("deploy")).isEqualTo(TaskPhase.Skipped);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void nobodyDecidingBeforeTheTimeoutFailsTheTask() {
    RunHarness h = waiting();

    h.apply(new RunEvent.TimerFired(RUN, DAG, "sign-off", 1, TimerKind.APPROVAL, h.tick()));

    TaskState t = h.tasks.get("sign-off");
    assertThat(t.phase()).isEqualTo(TaskPhase.Failed);
    assertThat(t.failureKind()).isEqualTo(FailureKind.TIMED_OUT);
    assertThat(t.message()).isEqualTo("no decision within 3600s");
    assertThat(h.commands)
        .filteredOn(TaskApprovalRecorded.class::isInstance)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(((TaskApprovalRecorded) r).approved()).isFalse();
              assertThat(((TaskApprovalRecorded) r).user()).isNull();
            });
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void aUserWhoIsNotAnApproverIsRefusedAndTheTaskKeepsWaiting() {
    RunHarness h = waiting();

    h.apply(decision("mallory", List.of("editor"), true, null, h.tick()));

    assertThat(h.lastRejection().reason()).isEqualTo(Rejection.Reason.NOT_APPROVER);
    assertThat(h.lastRejection().message())
        .isEqualTo(
            "Expected one of the approvers [release-managers, carol] of task 'sign-off' in run "
                + RUN
                + ", but user 'mallory' with roles [editor] is none of them");
    assertThat(h.phase("sign-off")).isEqualTo(TaskPhase.Running);
  }

  @Test
  void decisionsOnTasksThatDoNotWaitAreRefusedSayingWhy() {
    RunHarness h = RunHarness.of(task("build"), SIGN_OFF).start();

    h.apply(decision("carol", List.of(), true, null, h.tick()));
    assertThat(h.lastRejection().message())
        .isEqualTo(
            "Expected approval task 'sign-off' in run "
                + RUN
                + " to wait for a decision, but it is Pending");
    h.apply(
        new RunEvent.ApprovalDecided(RUN, DAG, "build", "carol", List.of(), true, null, h.tick()));
    assertThat(h.lastRejection().message())
        .isEqualTo(
            "Expected an approval task of DAG " + DAG + " in run " + RUN + ", but got 'build'");
  }

  @Test
  void cancellingARunStopsAWaitingApprovalWithoutAKillForAnExecutor() {
    RunHarness h = waiting();

    h.cancel();

    assertThat(h.phase("sign-off")).isEqualTo(TaskPhase.Cancelled);
    assertThat(h.commands).noneMatch(KillTask.class::isInstance);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Cancelled);
  }

  private static RunEvent decision(
      String user, List<String> roles, boolean approved, String comment, java.time.Instant at) {
    return new RunEvent.ApprovalDecided(RUN, DAG, "sign-off", user, roles, approved, comment, at);
  }
}

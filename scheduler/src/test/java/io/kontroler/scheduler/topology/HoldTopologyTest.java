package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPauseChanged;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.SlaMissed;
import io.kontroler.core.run.RunCommand.TaskApprovalRecorded;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pause, resume, approval tasks and SLAs through kontroler.commands and the timer store. */
class HoldTopologyTest {
  private static final String DAG = "team-a/etl";
  private final TopologyHarness h = new TopologyHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aPausedRunStartsNothingUntilResumedAndThenGoesOnToSuccess() {
    h.publish(
        DAG, 1, DagSpec.of(List.of(Shapes.task("a", List.of()), Shapes.task("b", List.of("a")))));
    h.request(DAG, "k");
    String runId = RunIds.forRequest(DAG, "k");
    LaunchTask a = h.launches().get(0);

    h.command(DAG, new Inbound.PauseRun(DAG, runId, "alice"));
    h.succeed(a);

    assertThat(h.launches()).isEmpty();
    assertThat(h.runEvents())
        .filteredOn(RunPauseChanged.class::isInstance)
        .extracting(e -> ((RunPauseChanged) e).paused(), e -> ((RunPauseChanged) e).user())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(true, "alice"));

    h.command(DAG, new Inbound.ResumeRun(DAG, runId, "bob"));
    List<LaunchTask> next = h.launches();
    assertThat(next).extracting(LaunchTask::task).containsExactly("b");
    h.succeed(next.get(0));

    assertThat(h.allRunEvents())
        .filteredOn(RunPhaseChanged.class::isInstance)
        .extracting(e -> ((RunPhaseChanged) e).to())
        .last()
        .isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void pausingAFinishedOrUnknownRunIsADeadLetterSayingWhy() {
    h.publish(DAG, 1, DagSpec.of(List.of(Shapes.task("a", List.of()))));
    h.request(DAG, "k");
    String runId = RunIds.forRequest(DAG, "k");
    h.drive();

    h.command(DAG, new Inbound.PauseRun(DAG, runId, "alice"));
    h.command(DAG, new Inbound.ResumeRun(DAG, "no-such-run", "alice"));

    assertThat(h.deadLetters())
        .extracting(DeadLetter::reason)
        .containsExactly(
            "Expected run " + runId + " to be active, but it is Succeeded (PauseRequested ignored)",
            "Expected a run no-such-run of DAG team-a/etl (active, or finished within the"
                + " retention of finished runs), but there is none");
  }

  private static final io.kontroler.core.dag.TaskSpec SIGN_OFF =
      new io.kontroler.core.dag.TaskSpec(
              "sign-off", null, null, null, null, List.of(), null, null, null, null, null)
          .withApproval(new io.kontroler.core.dag.Approval(List.of("release-managers"), 60));

  @Test
  void anApproveTaskFromAnApproverSucceedsTheTaskAndOneFromAnyoneElseIsADeadLetter() {
    h.publish(DAG, 1, DagSpec.of(List.of(SIGN_OFF, Shapes.task("deploy", List.of("sign-off")))));
    h.request(DAG, "k");
    String runId = RunIds.forRequest(DAG, "k");
    assertThat(h.launches()).isEmpty();

    h.command(
        DAG, new Inbound.ApproveTask(DAG, runId, "sign-off", "mallory", List.of("viewer"), "me"));
    assertThat(h.deadLetters())
        .extracting(DeadLetter::reason)
        .containsExactly(
            "Expected one of the approvers [release-managers] of task 'sign-off' in run "
                + runId
                + ", but user 'mallory' with roles [viewer] is none of them");
    assertThat(h.launches()).isEmpty();

    h.command(
        DAG,
        new Inbound.ApproveTask(
            DAG, runId, "sign-off", "alice", List.of("release-managers"), "go"));
    assertThat(h.launches()).extracting(LaunchTask::task).containsExactly("deploy");
    assertThat(h.allRunEvents())
        .filteredOn(TaskApprovalRecorded.class::isInstance)
        .extracting(
            e -> ((TaskApprovalRecorded) e).user(), e -> ((TaskApprovalRecorded) e).approved())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", true));
  }

  @Test
  void theApprovalTimerInTheTimerStoreFailsATaskNobodyDecidedOn() {
    h.publish(DAG, 1, DagSpec.of(List.of(SIGN_OFF)));
    h.request(DAG, "k");

    h.advance(java.time.Duration.ofSeconds(59));
    assertThat(h.allRunEvents()).noneMatch(TaskApprovalRecorded.class::isInstance);
    h.advance(java.time.Duration.ofSeconds(2));

    assertThat(h.allRunEvents())
        .filteredOn(TaskPhaseChanged.class::isInstance)
        .map(e -> (TaskPhaseChanged) e)
        .last()
        .satisfies(
            t -> {
              assertThat(t.to()).isEqualTo(io.kontroler.core.run.TaskPhase.Failed);
              assertThat(t.failureKind()).isEqualTo(io.kontroler.core.run.FailureKind.TIMED_OUT);
              assertThat(t.message()).isEqualTo("no decision within 60s");
            });
    assertThat(h.allRunEvents())
        .filteredOn(RunPhaseChanged.class::isInstance)
        .extracting(e -> ((RunPhaseChanged) e).to())
        .last()
        .isEqualTo(RunPhase.Failed);
  }

  @Test
  void aRejectTaskFailsTheTaskWithTheComment() {
    h.publish(DAG, 1, DagSpec.of(List.of(SIGN_OFF)));
    h.request(DAG, "k");
    String runId = RunIds.forRequest(DAG, "k");

    h.command(
        DAG,
        new Inbound.RejectTask(DAG, runId, "sign-off", "bob", List.of("release-managers"), "no"));

    assertThat(h.allRunEvents())
        .filteredOn(TaskPhaseChanged.class::isInstance)
        .map(e -> (TaskPhaseChanged) e)
        .last()
        .satisfies(
            t -> {
              assertThat(t.failureKind()).isEqualTo(io.kontroler.core.run.FailureKind.REJECTED);
              assertThat(t.message()).isEqualTo("rejected by bob: no");
            });
  }

  @Test
  void anSlaTimerInTheTimerStoreEmitsSlaMissedOnceForTheRunAndForALateTaskWhileTheRunGoesOn() {
    h.publish(
        DAG,
        1,
        DagSpec.of(List.of(Shapes.task("slow", List.of())))
            .withSla(new io.kontroler.core.dag.Sla(120L, 30L)));
    h.request(DAG, "k");
    String runId = RunIds.forRequest(DAG, "k");
    LaunchTask slow = h.launches().get(0);
    h.outcome(
        new io.kontroler.core.run.RunEvent.TaskStarted(runId, DAG, "slow", 1, TopologyHarness.T0));

    h.advance(java.time.Duration.ofSeconds(29));
    assertThat(h.allRunEvents()).noneMatch(SlaMissed.class::isInstance);
    h.advance(java.time.Duration.ofSeconds(2));
    h.advance(java.time.Duration.ofSeconds(100));

    assertThat(h.allRunEvents())
        .filteredOn(SlaMissed.class::isInstance)
        .map(e -> (SlaMissed) e)
        .extracting(SlaMissed::task, SlaMissed::seconds)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("slow", 30L),
            org.assertj.core.groups.Tuple.tuple(null, 120L));
    h.succeed(slow);
    assertThat(h.allRunEvents())
        .filteredOn(RunPhaseChanged.class::isInstance)
        .extracting(e -> ((RunPhaseChanged) e).to())
        .last()
        .isEqualTo(RunPhase.Succeeded);
  }
}

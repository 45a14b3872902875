package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagRef;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.ParentRun;
import io.kontroler.core.run.RunCommand.ChildRunLinked;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RerunTask through kontroler.commands, and forEach instance states in the stores. */
class RerunAndFanOutTopologyTest {
  private static final String DAG = "team-a/etl";
  private final TopologyHarness h = new TopologyHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private List<RunPhase> runPhases() {
    return h.allRunEvents().stream()
        .filter(RunPhaseChanged.class::isInstance)
        .map(e -> ((RunPhaseChanged) e).to())
        .toList();
  }

  @Test
  void aRerunTaskOfAFinishedRunLaunchesItAndItsDownstreamAgain() {
    h.publish(
        DAG,
        1,
        DagSpec.of(
            List.of(
                Shapes.task("a", List.of()),
                Shapes.task("b", List.of("a")),
                Shapes.task("c", List.of("b")))));
    h.request(DAG, "k");
    String runId = RunIds.forRequest(DAG, "k");
    h.drive();
    assertThat(runPhases()).last().isEqualTo(RunPhase.Succeeded);

    h.command(DAG, new Inbound.RerunTask(DAG, runId, "b"));
    List<LaunchTask> again = h.launches();
    assertThat(again).extracting(LaunchTask::task).containsExactly("b");
    assertThat(again.get(0).attempt()).isEqualTo(2);
    h.succeed(again.get(0));
    List<LaunchTask> next = h.launches();
    assertThat(next).extracting(LaunchTask::task).containsExactly("c");
    h.succeed(next.get(0));

    assertThat(runPhases()).endsWith(RunPhase.Succeeded, RunPhase.Running, RunPhase.Succeeded);
  }

  @Test
  void aRerunTaskForAnUnknownRunOrTaskIsADeadLetterSayingWhich() {
    h.publish(DAG, 1, DagSpec.of(List.of(Shapes.task("a", List.of()))));
    h.request(DAG, "k");
    String runId = RunIds.forRequest(DAG, "k");
    h.drive();

    h.command(DAG, new Inbound.RerunTask(DAG, "no-such-run", "a"));
    h.command(DAG, new Inbound.RerunTask(DAG, runId, "nope"));

    assertThat(h.deadLetters())
        .extracting(DeadLetter::reason)
        .containsExactly(
            "Expected a run no-such-run of DAG team-a/etl (active, or finished within the"
                + " retention of finished runs), but there is none",
            "Expected a task of DAG team-a/etl version 1 in run " + runId + ", but got 'nope'");
    assertThat(h.launches()).isEmpty();
  }

  @Test
  void aDagRefTaskRunsItsChildThroughTheCommandsTopicAndEndsAsItEnds() {
    TaskSpec sub =
        new TaskSpec("sub", null, null, null, null, List.of(), null, null, null, null, null)
            .withDagRef(new DagRef("child", List.of()));
    h.publish(DAG, 1, DagSpec.of(List.of(sub, Shapes.task("after", List.of("sub")))));
    h.publish("team-a/child", 1, DagSpec.of(List.of(Shapes.task("c", List.of()))));
    h.request(DAG, "k");
    String parentRun = RunIds.forRequest(DAG, "k");
    String childRun = RunIds.forRequest("team-a/child", ParentRun.childKey(parentRun, "sub", 1));

    LaunchTask c = single(h.launches(), "c");
    assertThat(c.runId()).isEqualTo(childRun);
    h.outcome(
        new RunEvent.TaskFailed(
            childRun, "team-a/child", "c", 1, 3, FailureKind.EXITED, "boom", TopologyHarness.T0));

    assertThat(h.allRunEvents())
        .filteredOn(RunPhaseChanged.class::isInstance)
        .map(e -> (RunPhaseChanged) e)
        .filteredOn(e -> e.to().isFinal())
        .extracting(RunPhaseChanged::runId, RunPhaseChanged::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(childRun, RunPhase.Failed),
            org.assertj.core.groups.Tuple.tuple(parentRun, RunPhase.Failed));
    assertThat(h.allRunEvents())
        .filteredOn(ChildRunLinked.class::isInstance)
        .extracting(e -> ((ChildRunLinked) e).childRunId())
        .containsExactly(childRun);
  }

  @Test
  void cancellingAParentCancelsItsChild() {
    TaskSpec sub =
        new TaskSpec("sub", null, null, null, null, List.of(), null, null, null, null, null)
            .withDagRef(new DagRef("child", List.of()));
    h.publish(DAG, 1, DagSpec.of(List.of(sub)));
    h.publish("team-a/child", 1, DagSpec.of(List.of(Shapes.task("c", List.of()))));
    h.request(DAG, "k");
    String parentRun = RunIds.forRequest(DAG, "k");
    single(h.launches(), "c");

    h.command(DAG, new Inbound.CancelRun(DAG, parentRun, "enough"));

    assertThat(h.executorCommands())
        .filteredOn(KillTask.class::isInstance)
        .extracting(k -> ((KillTask) k).task())
        .containsExactly("c");
    assertThat(runPhases()).containsSubsequence(RunPhase.Cancelled, RunPhase.Cancelled);
  }

  private static LaunchTask single(List<LaunchTask> launches, String task) {
    assertThat(launches).extracting(LaunchTask::task).containsExactly(task);
    return launches.get(0);
  }

  @Test
  void instanceStatesAreKeptAsTasksAndReleasedWithTheirRun() {
    h.publish(
        DAG,
        1,
        DagSpec.of(
            List.of(
                Shapes.task("p", List.of()).withForEach(List.of("x", "y", "z"), 2),
                Shapes.task("after", List.of("p")))));
    h.request(DAG, "k");
    String runId = RunIds.forRequest(DAG, "k");
    assertThat(h.drive()).isEqualTo(4);
    assertThat(runPhases()).last().isEqualTo(RunPhase.Succeeded);
    assertThat(h.driver.getKeyValueStore(RunStores.TASKS).get(runId + "/p[2]")).isNotNull();

    h.driver.advanceWallClockTime(TopologyHarness.RETENTION.plusMinutes(1));

    assertThat(h.driver.getKeyValueStore(RunStores.RUNS).get(runId)).isNull();
    assertThat(h.driver.getKeyValueStore(RunStores.TASKS).approximateNumEntries()).isZero();
  }
}

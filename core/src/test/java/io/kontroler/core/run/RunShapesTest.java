package io.kontroler.core.run;

import static io.kontroler.core.run.RunHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunShapesTest {

  @Test
  void chainLaunchesEachTaskOnlyAfterItsUpstreamSucceeded() {
    RunHarness h = RunHarness.of(task("a"), task("b", "a"), task("c", "b")).start();
    assertThat(h.launched()).containsExactly("a");

    h.succeed("a");
    assertThat(h.launched()).containsExactly("a", "b");
    h.succeed("b");
    h.succeed("c");

    assertThat(h.launched()).containsExactly("a", "b", "c");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.run.finishedAt()).isNotNull();
  }

  @Test
  void fanOutLaunchesAllChildrenAtOnce() {
    RunHarness h =
        RunHarness.of(task("root"), task("x", "root"), task("y", "root"), task("z", "root"))
            .start();

    h.succeed("root");

    assertThat(h.active()).containsExactly("x", "y", "z");
  }

  @Test
  void fanInLaunchesJoinOnlyAfterAllUpstreamSucceeded() {
    RunHarness h = RunHarness.of(task("a"), task("b"), task("join", "a", "b")).start();
    assertThat(h.active()).containsExactly("a", "b");

    h.succeed("a");
    assertThat(h.launched()).doesNotContain("join");

    h.succeed("b");
    assertThat(h.launched()).containsExactly("a", "b", "join");
  }

  @Test
  void diamondRunsToSuccessInDependencyOrder() {
    RunHarness h =
        RunHarness.of(
                task("top"),
                task("left", "top"),
                task("right", "top"),
                task("bottom", "left", "right"))
            .start();

    h.succeed("top");
    h.succeed("right");
    h.succeed("left");
    h.succeed("bottom");

    assertThat(h.launched()).containsExactly("top", "left", "right", "bottom");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.run.counts().succeeded()).isEqualTo(4);
  }

  @Test
  void failureSkipsDownstreamWhileIndependentBranchRunsOn() {
    RunHarness h =
        RunHarness.of(task("a"), task("a2", "a"), task("a3", "a2"), task("b"), task("b2", "b"))
            .start();

    h.fail("a", 1);
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Failed);
    assertThat(h.phase("a2")).isEqualTo(TaskPhase.Skipped);
    assertThat(h.phase("a3")).isEqualTo(TaskPhase.Skipped);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);

    h.succeed("b");
    h.succeed("b2");

    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
    assertThat(h.run.counts().failed()).isEqualTo(1);
    assertThat(h.run.counts().skipped()).isEqualTo(2);
    assertThat(h.run.counts().succeeded()).isEqualTo(2);
  }

  @Test
  void runStartsPendingThenRunningAndReportsBoth() {
    RunHarness h = RunHarness.of(task("a")).start();

    assertThat(h.commands)
        .filteredOn(c -> c instanceof RunCommand.RunPhaseChanged)
        .extracting(c -> ((RunCommand.RunPhaseChanged) c).to())
        .containsExactly(RunPhase.Pending, RunPhase.Running);
  }
}

package io.kontroler.ingest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import io.kontroler.core.validate.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OwnedRunsTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final String DAG = "default/etl";
  private static final WorkItem OWNER = new WorkItem(ResourceKind.DAG_RUN, "default", "etl-1");

  private final OwnedRuns runs = new OwnedRuns();
  private final List<WorkItem> changed = new ArrayList<>();

  @BeforeEach
  void listen() {
    runs.onChange(changed::add);
  }

  @Test
  void followsPhaseCountsAndTimesOfAnOwnedRun() {
    runs.own("r1", OWNER);

    runs.apply(started("r1", new PhaseCounts(2, 0, 0, 0, 0, 0, 0, 0)));
    runs.apply(task("r1", TaskPhase.Pending, TaskPhase.Queued));
    runs.apply(task("r1", TaskPhase.Queued, TaskPhase.Succeeded));
    runs.apply(
        new RunPhaseChanged(
            "r1",
            DAG,
            1,
            "etl-1",
            RunPhase.Running,
            RunPhase.Succeeded,
            new PhaseCounts(0, 0, 0, 0, 2, 0, 0, 0),
            "all tasks succeeded",
            T0.plusSeconds(9)));

    RunSummary run = runs.get("r1").orElseThrow();
    assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(run.startedAt()).isEqualTo(T0);
    assertThat(run.finishedAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(run.progress()).isEqualTo("2/2");
    assertThat(run.message()).isEqualTo("all tasks succeeded");
    assertThat(changed).hasSize(4).containsOnly(OWNER);
  }

  @Test
  void notificationsAboutRunsNoResourceOwnsAreDropped() {
    for (int i = 0; i < 1000; i++) {
      runs.apply(started("other-" + i, PhaseCounts.ZERO));
    }

    assertThat(runs.get("other-1")).isEmpty();
    assertThat(runs.size()).isZero();
    assertThat(changed).isEmpty();
  }

  @Test
  void aResourceThatGoesTakesItsRunsWithIt() {
    runs.own("r1", OWNER);
    runs.own("r2", new WorkItem(ResourceKind.WORKFLOW, "default", "wf"));
    runs.apply(started("r1", PhaseCounts.ZERO));

    runs.release(OWNER);

    assertThat(runs.get("r1")).isEmpty();
    assertThat(runs.size()).isEqualTo(1);
    runs.apply(started("r1", PhaseCounts.ZERO));
    assertThat(runs.get("r1")).isEmpty();
  }

  @Test
  void aRejectedRunIsFailedWithItsProblems() {
    runs.own("r2", OWNER);

    runs.apply(new RunRejected("r2", DAG, null, List.of(new Problem("dag", "unknown DAG")), T0));

    RunSummary rejected = runs.get("r2").orElseThrow();
    assertThat(rejected.rejected()).isTrue();
    assertThat(rejected.phase()).isEqualTo(RunPhase.Failed);
    assertThat(rejected.message()).contains("dag: unknown DAG");
  }

  private static RunPhaseChanged started(String runId, PhaseCounts counts) {
    return new RunPhaseChanged(
        runId, DAG, 1, "etl-1", RunPhase.Pending, RunPhase.Running, counts, null, T0);
  }

  private static TaskPhaseChanged task(String runId, TaskPhase from, TaskPhase to) {
    return new TaskPhaseChanged(runId, DAG, "a", 1, from, to, null, null, null, T0);
  }
}

package io.kontroler.ingest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskWaitingForPool;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DagLastRunsTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final String DAG = "default/etl";

  private final DagLastRuns lastRuns = new DagLastRuns(Set.of(DAG, "default/other")::contains);

  @Test
  void aCreatedRunIsTheLatestAndEachOfItsPhaseChangesIsReportedOnce() {
    assertThat(lastRuns.apply(changed("r1", null, RunPhase.Pending, 0))).contains(DAG);
    assertThat(lastRuns.apply(changed("r1", RunPhase.Pending, RunPhase.Running, 1))).contains(DAG);
    assertThat(
            lastRuns.apply(
                new TaskPhaseChanged(
                    "r1", DAG, "a", 1, TaskPhase.Pending, TaskPhase.Queued, null, null, null, T0)))
        .isEmpty();
    assertThat(lastRuns.apply(changed("r1", RunPhase.Running, RunPhase.Succeeded, 9)))
        .contains(DAG);

    assertThat(lastRuns.get(DAG).orElseThrow().toStatus())
        .isEqualTo(
            Map.of(
                "id",
                "r1",
                "phase",
                "Succeeded",
                "startedAt",
                T0.plusSeconds(1).toString(),
                "finishedAt",
                T0.plusSeconds(9).toString()));
  }

  @Test
  void anOlderRunThatEndsAfterANewerOneStartedLeavesTheNewerAsTheLatest() {
    lastRuns.apply(changed("old", null, RunPhase.Pending, 0));
    lastRuns.apply(changed("old", RunPhase.Pending, RunPhase.Running, 1));
    lastRuns.apply(changed("new", null, RunPhase.Pending, 2));

    assertThat(lastRuns.apply(changed("old", RunPhase.Running, RunPhase.Failed, 3))).isEmpty();

    DagLastRuns.LastRun latest = lastRuns.get(DAG).orElseThrow();
    assertThat(latest.id()).isEqualTo("new");
    assertThat(latest.phase()).isEqualTo(RunPhase.Pending);
    assertThat(latest.startedAt()).isNull();
  }

  @Test
  void aRetriedRunIsTheLatestAgainWithItsNewStartAndNoEnd() {
    lastRuns.apply(changed("r1", null, RunPhase.Pending, 0));
    lastRuns.apply(changed("r1", RunPhase.Pending, RunPhase.Running, 1));
    lastRuns.apply(changed("r1", RunPhase.Running, RunPhase.Failed, 2));
    lastRuns.apply(changed("r2", null, RunPhase.Pending, 3));

    assertThat(lastRuns.apply(changed("r1", RunPhase.Failed, RunPhase.Running, 4))).contains(DAG);

    assertThat(lastRuns.get(DAG).orElseThrow())
        .isEqualTo(new DagLastRuns.LastRun("r1", RunPhase.Running, T0.plusSeconds(4), null));
  }

  @Test
  void aTaskWaitingForAPoolChangesNoStatus() {
    lastRuns.apply(changed("r1", null, RunPhase.Pending, 0));

    assertThat(
            lastRuns.apply(
                new TaskWaitingForPool("r1", DAG, "a", 1, "warehouse", T0.plusSeconds(1))))
        .isEmpty();
    assertThat(lastRuns.get(DAG).orElseThrow().phase()).isEqualTo(RunPhase.Pending);
    assertThat(lastRuns.dags()).containsExactly(DAG);
  }

  @Test
  void aRunFirstSeenMidwayIsTheLatestWhenNothingIsKnownOfItsDag() {
    assertThat(lastRuns.apply(changed("r1", RunPhase.Running, RunPhase.Succeeded, 5)))
        .contains(DAG);

    assertThat(lastRuns.get(DAG).orElseThrow().finishedAt()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void onlyDagsThatExistAsResourcesAreKeptAndAGoneOneIsForgotten() {
    assertThat(lastRuns.apply(changedOf("default/api-only", "x", null, RunPhase.Pending)))
        .isEmpty();
    lastRuns.apply(changed("r1", null, RunPhase.Pending, 0));
    lastRuns.apply(changedOf("default/other", "r2", null, RunPhase.Pending));
    assertThat(lastRuns.size()).isEqualTo(2);

    lastRuns.forget(DAG);

    assertThat(lastRuns.size()).isEqualTo(1);
    assertThat(lastRuns.get(DAG)).isEqualTo(Optional.empty());
    assertThat(lastRuns.dags()).containsExactly("default/other");
  }

  private static RunPhaseChanged changed(String runId, RunPhase from, RunPhase to, int second) {
    return new RunPhaseChanged(
        runId, DAG, 1, runId, from, to, PhaseCounts.ZERO, null, T0.plusSeconds(second));
  }

  private static RunPhaseChanged changedOf(String dag, String runId, RunPhase from, RunPhase to) {
    return new RunPhaseChanged(runId, dag, 1, runId, from, to, PhaseCounts.ZERO, null, T0);
  }
}

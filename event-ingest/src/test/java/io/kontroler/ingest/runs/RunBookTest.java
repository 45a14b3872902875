package io.kontroler.ingest.runs;

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
import org.junit.jupiter.api.Test;

class RunBookTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final String DAG = "default/etl";

  private final RunBook book = new RunBook();

  @Test
  void followsPhaseCountsAndTimesOfARun() {
    List<RunView> seen = new ArrayList<>();
    book.addListener(seen::add);

    book.apply(started("r1", new PhaseCounts(2, 0, 0, 0, 0, 0, 0, 0)));
    book.apply(task("r1", TaskPhase.Pending, TaskPhase.Queued));
    book.apply(task("r1", TaskPhase.Queued, TaskPhase.Succeeded));
    book.apply(
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

    RunView run = book.get("r1").orElseThrow();
    assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(run.startedAt()).isEqualTo(T0);
    assertThat(run.finishedAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(run.progress()).isEqualTo("2/2");
    assertThat(run.message()).isEqualTo("all tasks succeeded");
    assertThat(seen).hasSize(4);
    assertThat(seen.get(2).counts()).isEqualTo(new PhaseCounts(1, 0, 0, 0, 1, 0, 0, 0));
    assertThat(book.activeRuns(DAG)).isEmpty();
  }

  @Test
  void aRequestedRunIsActiveUntilItEndsOrIsRejected() {
    book.requested("r1", DAG);
    book.requested("r2", DAG);
    assertThat(book.activeRuns(DAG)).containsExactly("r1", "r2");

    book.apply(new RunRejected("r2", DAG, null, List.of(new Problem("dag", "unknown DAG")), T0));

    assertThat(book.activeRuns(DAG)).containsExactly("r1");
    RunView rejected = book.get("r2").orElseThrow();
    assertThat(rejected.rejected()).isTrue();
    assertThat(rejected.phase()).isEqualTo(RunPhase.Failed);
    assertThat(rejected.message()).contains("dag: unknown DAG");
  }

  @Test
  void requestingAKnownRunChangesNothing() {
    book.apply(started("r1", PhaseCounts.ZERO));

    book.requested("r1", DAG);

    assertThat(book.get("r1").orElseThrow().phase()).isEqualTo(RunPhase.Running);
  }

  private static RunPhaseChanged started(String runId, PhaseCounts counts) {
    return new RunPhaseChanged(
        runId, DAG, 1, "etl-1", RunPhase.Pending, RunPhase.Running, counts, null, T0);
  }

  private static TaskPhaseChanged task(String runId, TaskPhase from, TaskPhase to) {
    return new TaskPhaseChanged(runId, DAG, "a", 1, from, to, null, null, null, T0);
  }
}

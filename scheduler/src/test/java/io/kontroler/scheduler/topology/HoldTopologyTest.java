package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPauseChanged;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pause and resume through kontroler.commands. */
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
}

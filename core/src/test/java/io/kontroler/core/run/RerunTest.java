package io.kontroler.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Re-running a chosen task: it and everything downstream of it run again, nothing else. */
class RerunTest {

  private static RunHarness succeededRun() {
    RunHarness h =
        RunHarness.of(
            RunHarness.task("extract"),
            RunHarness.task("transform", "extract"),
            RunHarness.task("load", "transform"),
            RunHarness.task("audit", "extract"),
            RunHarness.task("report", "load", "audit"),
            RunHarness.task("side"));
    h.start();
    for (String t : List.of("extract", "side", "transform", "audit", "load", "report")) {
      h.succeed(t);
    }
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    return h;
  }

  private static Transition rerun(RunHarness h, String task) {
    return h.apply(new RunEvent.RerunRequested(RunHarness.RUN, RunHarness.DAG, task, h.tick()));
  }

  @Test
  void reRunningAMiddleTaskOfASucceededRunRunsExactlyItAndItsDownstream() {
    RunHarness h = succeededRun();
    int before = h.launches().size();

    rerun(h, "transform");

    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    assertThat(h.launched().subList(before, h.launched().size())).containsExactly("transform");
    assertThat(h.attempt("transform")).isEqualTo(2);
    assertThat(h.phase("load")).isEqualTo(TaskPhase.Pending);
    assertThat(h.phase("report")).isEqualTo(TaskPhase.Pending);
    assertThat(h.phase("audit")).isEqualTo(TaskPhase.Succeeded);
    h.succeed("transform");
    h.succeed("load");
    h.succeed("report");

    assertThat(h.launched().subList(before, h.launched().size()))
        .containsExactly("transform", "load", "report");
    assertThat(h.attempt("load")).isEqualTo(2);
    assertThat(h.attempt("extract")).isEqualTo(1);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.run.counts().succeeded()).isEqualTo(6);
    assertThat(
            h.commands.stream()
                .filter(c -> c instanceof RunPhaseChanged)
                .map(c -> ((RunPhaseChanged) c).from() + "->" + ((RunPhaseChanged) c).to())
                .toList())
        .containsExactly(
            "null->Pending",
            "Pending->Running",
            "Running->Succeeded",
            "Succeeded->Running",
            "Running->Succeeded");
  }

  @Test
  void aFailedRunSucceedsWhenTheReRunTasksDo() {
    RunHarness h = RunHarness.of(RunHarness.task("a"), RunHarness.task("b", "a"));
    h.start();
    h.succeed("a");
    h.fail("b", 1);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);

    rerun(h, "a");
    assertThat(h.phase("b")).isEqualTo(TaskPhase.Pending);
    h.succeed("a");
    h.succeed("b");

    assertThat(h.attempt("a")).isEqualTo(2);
    assertThat(h.attempt("b")).isEqualTo(2);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void reRunningInARunningRunStopsWhatIsActiveAmongThem() {
    RunHarness h = RunHarness.of(RunHarness.task("a"), RunHarness.task("b", "a"));
    h.start();
    h.succeed("a");
    h.startTask("b");

    Transition t = rerun(h, "a");

    assertThat(t.commands()).anySatisfy(c -> assertThat(c).isInstanceOf(KillTask.class));
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Queued);
    assertThat(h.phase("b")).isEqualTo(TaskPhase.Pending);
    h.apply(new RunEvent.TaskSucceeded(RunHarness.RUN, RunHarness.DAG, "b", 1, h.tick()));
    assertThat(h.lastRejection()).isNotNull();
    h.succeed("a");
    h.succeed("b");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void anUnknownTaskIsRejected() {
    RunHarness h = succeededRun();
    rerun(h, "nope");
    assertThat(h.lastRejection().reason()).isEqualTo(Rejection.Reason.UNKNOWN_TASK);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }
}

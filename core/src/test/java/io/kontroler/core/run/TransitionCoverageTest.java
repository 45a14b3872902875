package io.kontroler.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every transition the phase enums declare is taken by some run: a declared transition that the
 * machine never makes is dead weight or a missing behaviour.
 */
class TransitionCoverageTest {

  @Test
  void everyDeclaredTaskAndRunTransitionIsExercised() {
    Set<String> taskSeen = new HashSet<>();
    Set<String> runSeen = new HashSet<>();
    for (long seed = 0; seed < 400; seed++) {
      var spec = RandomDagPropertiesTest.randomDag(12, seed, 3);
      RunHarness h =
          RandomDagPropertiesTest.drive(RandomDagPropertiesTest.Scenario.seeded(spec, seed));
      if (seed % 3 == 0 && h.run.phase() != RunPhase.Succeeded) {
        h.apply(new RunEvent.RetryRequested(h.run.runId(), h.run.dag(), h.tick()));
        if (seed % 2 == 0) {
          h.apply(new RunEvent.CancelRequested(h.run.runId(), h.run.dag(), "stop", h.tick()));
          h.apply(new RunEvent.RetryRequested(h.run.runId(), h.run.dag(), h.tick()));
        }
      }
      if (seed % 5 == 1) {
        RunHarness c = new RunHarness(spec).start();
        c.apply(new RunEvent.CancelRequested(c.run.runId(), c.run.dag(), "stop", c.tick()));
        collect(c, taskSeen, runSeen);
      }
      collect(h, taskSeen, runSeen);
    }
    RunHarness running = RunHarness.of(RunHarness.task("a")).start();
    running.startTask("a");
    running.apply(
        new RunEvent.CancelRequested(RunHarness.RUN, RunHarness.DAG, "x", running.tick()));
    collect(running, taskSeen, runSeen);
    RunHarness waiting =
        RunHarness.of(
                RunHarness.task("a").withBackoff(new io.kontroler.core.dag.Backoff(1, 30, 2.0, 0)))
            .start();
    waiting.fail("a", 1);
    waiting.apply(
        new RunEvent.CancelRequested(RunHarness.RUN, RunHarness.DAG, "x", waiting.tick()));
    collect(waiting, taskSeen, runSeen);
    RunHarness conditionError =
        RunHarness.of(
                RunHarness.task("a"),
                RunHarness.task("b", "a").withWhen("tasks.a.outputs.missing == 'x'"))
            .start();
    conditionError.succeed("a");
    collect(conditionError, taskSeen, runSeen);
    RunHarness fanOut =
        RunHarness.of(
                RunHarness.task("empty").withForEach(java.util.List.of(), null),
                RunHarness.task("some").withForEach(java.util.List.of("x"), null))
            .start();
    fanOut.succeed("some[0]");
    fanOut.apply(
        new RunEvent.RerunRequested(RunHarness.RUN, RunHarness.DAG, "some", fanOut.tick()));
    collect(fanOut, taskSeen, runSeen);

    Set<String> taskDeclared = new HashSet<>();
    for (TaskPhase from : TaskPhase.values()) {
      from.next().forEach(to -> taskDeclared.add(from + "->" + to));
    }
    Set<String> runDeclared = new HashSet<>();
    for (RunPhase from : RunPhase.values()) {
      from.next().forEach(to -> runDeclared.add(from + "->" + to));
    }
    assertThat(taskSeen).containsAll(taskDeclared);
    assertThat(taskDeclared).containsAll(taskSeen);
    assertThat(runSeen).containsAll(runDeclared);
    assertThat(runDeclared).containsAll(runSeen);
  }

  @Test
  void theMachineRefusesEveryUndeclaredRunTransition() {
    for (RunPhase from : RunPhase.values()) {
      for (RunPhase to : RunPhase.values()) {
        RunState run =
            new RunState(
                RunHarness.RUN,
                RunHarness.DAG,
                1,
                "r",
                from,
                null,
                null,
                false,
                null,
                null,
                null,
                null);
        if (from.next().contains(to)) {
          assertThat(run.withPhase(to, null, null).phase()).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> run.withPhase(to, null, null))
              .as(from + "->" + to)
              .isInstanceOf(IllegalStateException.class)
              .hasMessage(
                  "Expected a "
                      + from
                      + " run to become one of "
                      + from.next()
                      + ", but not "
                      + to);
        }
      }
    }
  }

  private static void collect(RunHarness h, Set<String> taskSeen, Set<String> runSeen) {
    for (RunCommand c : h.commands) {
      if (c instanceof TaskPhaseChanged t && t.from() != null) {
        taskSeen.add(t.from() + "->" + t.to());
      }
      if (c instanceof RunPhaseChanged r && r.from() != null) {
        runSeen.add(r.from() + "->" + r.to());
      }
    }
  }
}

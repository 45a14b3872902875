package io.kontroler.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Backoff;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.dag.TriggerRule;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.StartTimer;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random DAGs whose tasks have random trigger rules, conditions (true, false, or failing to
 * evaluate), allowFailure and outputs, with random exit tasks, driven to the end by a simulated
 * executor with random outcomes and now and then a cancel.
 */
class RandomTriggerRulesPropertiesTest {

  record Scenario(DagSpec spec, long seed, boolean cancel) {}

  private static final String[] CONDITIONS = {
    null, null, null, "true", "false", "params.missing == 'x'", "run.id != ''"
  };

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 30),
            Arbitraries.integers().between(0, 3),
            Arbitraries.longs(),
            Arbitraries.integers().between(0, 9))
        .as(
            (size, exits, seed, cancel) ->
                new Scenario(randomDag(size, exits, seed), seed, cancel == 0));
  }

  static DagSpec randomDag(int size, int exits, long seed) {
    Random random = new Random(seed);
    return DagSpec.of(tasks("t", size, random)).withOnExit(tasks("x", exits, random));
  }

  private static List<TaskSpec> tasks(String prefix, int size, Random random) {
    List<TaskSpec> tasks = new ArrayList<>();
    TriggerRule[] rules = TriggerRule.values();
    for (int i = 0; i < size; i++) {
      List<String> after = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        if (random.nextInt(100) < 20) {
          after.add(prefix + j);
        }
      }
      TaskSpec t =
          TaskSpec.of(prefix + i, "img", List.of("x"), after)
              .withBackoff(new Backoff(random.nextInt(2), 0, 2.0, 0))
              .withOutputs(random.nextBoolean() ? List.of("o") : List.of())
              .withWhen(CONDITIONS[random.nextInt(CONDITIONS.length)])
              .withAllowFailure(random.nextInt(5) == 0);
      if (random.nextInt(3) > 0) {
        t = t.withTrigger(rules[random.nextInt(rules.length)]);
      }
      tasks.add(t);
    }
    return tasks;
  }

  /** Answers launches and timers in random order with random outcomes until nothing is left. */
  static RunHarness drive(Scenario s) {
    Random random = new Random(s.seed());
    RunHarness h = new RunHarness(s.spec()).start();
    List<RunCommand> pending = new ArrayList<>(h.commands);
    int handled = 0;
    while (!pending.isEmpty()) {
      RunCommand next = pending.remove(random.nextInt(pending.size()));
      int before = h.commands.size();
      if (s.cancel() && handled == 3) {
        h.apply(new RunEvent.CancelRequested(RunHarness.RUN, RunHarness.DAG, "stop", h.tick()));
      }
      if (next instanceof LaunchTask l) {
        if (random.nextInt(4) < 3) {
          Map<String, String> outputs =
              l.container().outputs().isEmpty() ? Map.of() : Map.of("o", "v" + handled);
          h.apply(
              new RunEvent.TaskSucceeded(
                  l.runId(), l.dag(), l.task(), l.attempt(), h.tick(), outputs));
        } else {
          h.apply(
              new RunEvent.TaskFailed(
                  l.runId(), l.dag(), l.task(), l.attempt(), 1, FailureKind.EXITED, "x", h.tick()));
        }
      } else if (next instanceof StartTimer t) {
        h.apply(
            new RunEvent.TimerFired(
                t.runId(), t.dag(), t.task(), t.attempt(), t.kind(), t.dueAt()));
      }
      pending.addAll(h.commands.subList(before, h.commands.size()));
      if (++handled > 100_000) {
        throw new AssertionError("run did not terminate");
      }
    }
    return h;
  }

  @Property(tries = 200)
  void everyRunEndsWithEveryTaskFinal(@ForAll("scenarios") Scenario s) {
    RunHarness h = drive(s);

    assertThat(h.run.phase().isFinal()).isTrue();
    assertThat(h.run.counts().unfinished()).isZero();
    assertThat(h.run.counts().total()).isEqualTo(s.spec().task().size() + s.spec().onExit().size());
    assertThat(h.tasks.values()).allMatch(t -> t.phase().isFinal());
  }

  @Property(tries = 200)
  void noTaskStartsBeforeItsRuleHoldsAndExitTasksOnlyAfterEveryMainTask(
      @ForAll("scenarios") Scenario s) {
    RunHarness h = drive(s);
    Map<String, TaskSpec> specs = new HashMap<>();
    s.spec().task().forEach(t -> specs.put(t.name(), t));
    s.spec().onExit().forEach(t -> specs.put(t.name(), t));
    Map<String, TaskPhase> finals = new HashMap<>();
    for (RunCommand c : h.commands) {
      if (c instanceof TaskPhaseChanged p && p.to().isFinal()) {
        finals.put(p.task(), p.to());
      }
      if (c instanceof LaunchTask l) {
        TaskSpec spec = specs.get(l.task());
        List<TaskPhase> up = spec.runAfter().stream().map(finals::get).toList();
        assertThat(holds(spec.triggerRule(), up)).as("rule of %s over %s", l.task(), up).isTrue();
        if (s.spec().onExit().contains(spec)) {
          assertThat(s.spec().task()).allMatch(t -> finals.containsKey(t.name()));
        }
      }
    }
  }

  @Property(tries = 200)
  void replayingTheRecordedEventsFromEmptyGivesTheSameState(@ForAll("scenarios") Scenario s) {
    RunHarness original = drive(s);
    RunHarness replay = new RunHarness(s.spec());

    original.applied.forEach(replay::apply);

    assertThat(replay.run).isEqualTo(original.run);
    assertThat(replay.tasks).isEqualTo(original.tasks);
    assertThat(replay.commands).isEqualTo(original.commands);
  }

  /** The rule as the language reference states it, over upstream phases (null: not final). */
  private static boolean holds(TriggerRule rule, List<TaskPhase> up) {
    if (up.isEmpty()) {
      return true;
    }
    boolean allFinal = up.stream().allMatch(p -> p != null);
    long succeeded = up.stream().filter(p -> p == TaskPhase.Succeeded).count();
    long failed = up.stream().filter(p -> p == TaskPhase.Failed).count();
    return switch (rule) {
      case allSucceeded -> succeeded == up.size();
      case allDone -> allFinal;
      case allFailed -> failed == up.size();
      case anyFailed -> failed > 0;
      case anySucceeded -> succeeded > 0;
      case noneFailed -> allFinal && failed == 0;
    };
  }
}

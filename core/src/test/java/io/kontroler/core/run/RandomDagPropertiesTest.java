package io.kontroler.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Backoff;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.StartTimer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random DAGs with random outcomes, driven to the end by a simulated executor. */
class RandomDagPropertiesTest {

  /** A DAG and the choices the simulated executor makes while it runs. */
  record Scenario(DagSpec spec, List<Integer> choices) {
    static Scenario seeded(DagSpec spec, long seed) {
      return new Scenario(spec, Choices.seeded(seed));
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 40),
            Choices.values(),
            Arbitraries.integers().between(0, 3),
            Choices.values())
        .as(
            (size, shape, maxLimit, run) ->
                new Scenario(randomDag(size, new Choices(shape), maxLimit), run));
  }

  static DagSpec randomDag(int size, long seed, int maxLimit) {
    return randomDag(size, new Choices(Choices.seeded(seed)), maxLimit);
  }

  static DagSpec randomDag(int size, Choices random, int maxLimit) {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      List<String> after = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        if (random.nextInt(100) < 15) {
          after.add("t" + j);
        }
      }
      int limit = maxLimit == 0 ? 0 : random.nextInt(maxLimit + 1);
      TaskSpec task =
          TaskSpec.of("t" + i, "img", List.of("x"), after)
              .withBackoff(new Backoff(limit, random.nextBoolean() ? 0 : 5, 2.0, 0));
      if (random.nextInt(100) < 20) { // a forEach over 0 to 3 items, sometimes capped
        List<Object> items = new ArrayList<>();
        for (int k = random.nextInt(4); k > 0; k--) {
          items.add("i" + k);
        }
        int cap = random.nextInt(3);
        task = task.withForEach(items, cap == 0 ? null : cap);
      }
      tasks.add(task);
    }
    return DagSpec.of(tasks);
  }

  /** Answers launches and timers in random order with random outcomes until nothing is left. */
  static RunHarness drive(Scenario s) {
    Choices random = new Choices(s.choices());
    RunHarness h = new RunHarness(s.spec()).start();
    int handled = 0;
    List<RunCommand> pending = new ArrayList<>(h.commands);
    while (!pending.isEmpty()) {
      RunCommand next = pending.remove(random.nextInt(pending.size()));
      int before = h.commands.size();
      if (next instanceof LaunchTask l && loseToAnExpiredLease(h, l, random)) {
        // the attempt was killed and launched again: the new launch is among the new commands
      } else if (next instanceof LaunchTask l) {
        if (random.nextBoolean()) {
          h.apply(new RunEvent.TaskStarted(l.runId(), l.dag(), l.task(), l.attempt(), h.tick()));
        }
        int roll = random.nextInt(10);
        FailureKind kind = FailureKind.values()[random.nextInt(FailureKind.values().length)];
        h.apply(
            roll < 6
                ? new RunEvent.TaskSucceeded(l.runId(), l.dag(), l.task(), l.attempt(), h.tick())
                : new RunEvent.TaskFailed(
                    l.runId(), l.dag(), l.task(), l.attempt(), 1, kind, "x", h.tick()));
        if (random.nextInt(10) == 0) { // a duplicate delivery of the same outcome
          h.apply(new RunEvent.TaskSucceeded(l.runId(), l.dag(), l.task(), l.attempt(), h.tick()));
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

  /**
   * Has an executor accept the attempt most of the time, and now and then lets its lease expire
   * (then a late success of the lost attempt comes in too, which must change nothing). Answers
   * whether the lease expired.
   */
  private static boolean loseToAnExpiredLease(RunHarness h, LaunchTask l, Choices random) {
    if (random.nextInt(3) == 0) {
      return false;
    }
    String holder = "exec-" + random.nextInt(3);
    h.apply(new RunEvent.TaskAccepted(l.runId(), l.dag(), l.task(), l.attempt(), holder, h.tick()));
    if (random.nextInt(8) != 0) {
      return false;
    }
    h.apply(
        new RunEvent.LeaseExpired(
            l.runId(), l.dag(), l.task(), l.attempt(), holder, 6000, h.tick()));
    if (random.nextBoolean()) {
      h.apply(new RunEvent.TaskSucceeded(l.runId(), l.dag(), l.task(), l.attempt(), h.tick()));
    }
    return true;
  }

  @Property(tries = 300)
  void everyRunTerminates(@ForAll("scenarios") Scenario s) {
    RunHarness h = drive(s);
    assertThat(h.run.phase().isFinal()).isTrue();
    assertThat(h.run.counts().unfinished()).isZero();
    assertThat(h.run.counts().total()).isEqualTo(s.spec().task().size());
  }

  @Property(tries = 300)
  void noTaskStartsBeforeAllItsUpstreamSucceeded(@ForAll("scenarios") Scenario s) {
    Map<String, List<String>> upstream = new HashMap<>();
    s.spec().task().forEach(t -> upstream.put(t.name(), t.runAfter()));
    Set<String> succeeded = new HashSet<>();
    RunHarness driven = drive(s);
    for (RunCommand c : driven.commands) {
      if (c instanceof LaunchTask l) {
        assertThat(succeeded).containsAll(upstream.get(Instances.group(l.task())));
      }
      if (c instanceof RunCommand.TaskPhaseChanged p && p.to() == TaskPhase.Succeeded) {
        succeeded.add(p.task());
      }
    }
    // the roots launch (but for a forEach over nothing), so the check above saw a launch
    boolean aRootLaunches =
        s.spec().task().stream()
            .anyMatch(t -> t.runAfter().isEmpty() && !(t.fansOut() && t.forEachItems().isEmpty()));
    if (aRootLaunches) {
      assertThat(driven.launches()).isNotEmpty();
    }
  }

  @Property(tries = 300)
  void attemptsNeverExceedLimitPlusOneBesidesAFewLostOnes(@ForAll("scenarios") Scenario s) {
    RunHarness h = drive(s);
    Map<String, Integer> launches = new HashMap<>();
    Map<String, Integer> lost = new HashMap<>();
    h.launches().forEach(l -> launches.merge(l.task(), 1, Integer::sum));
    h.taskChanges().stream()
        .filter(c -> c.failureKind() == FailureKind.LOST)
        .forEach(c -> lost.merge(c.task(), 1, Integer::sum));
    Map<String, TaskSpec> specs = new HashMap<>();
    s.spec().task().forEach(t -> specs.put(t.name(), t));
    for (Map.Entry<String, Integer> launched : launches.entrySet()) {
      String name = launched.getKey();
      int free = Math.min(lost.getOrDefault(name, 0), Retries.LOST_LIMIT);
      assertThat(launched.getValue() - free)
          .as(name)
          .isLessThanOrEqualTo(specs.get(Instances.group(name)).backoff().limit() + 1);
    }
  }

  @Property(tries = 300)
  void aForEachTaskSucceedsOnlyWhenEveryInstanceDidAndNeverExceedsItsParallelism(
      @ForAll("scenarios") Scenario s) {
    RunHarness h = drive(s);
    Map<String, Set<String>> unfinished = new HashMap<>();
    Map<String, TaskSpec> specs = new HashMap<>();
    s.spec().task().forEach(t -> specs.put(t.name(), t));
    for (RunCommand c : h.commands) {
      if (c instanceof RunCommand.TaskPhaseChanged p && Instances.index(p.task()) >= 0) {
        String group = Instances.group(p.task());
        Set<String> open = unfinished.computeIfAbsent(group, g -> new HashSet<>());
        if (p.to().isFinal()) {
          open.remove(p.task());
        } else {
          open.add(p.task());
        }
        Integer cap = specs.get(group).parallelism();
        assertThat(open.size())
            .as(group)
            .isLessThanOrEqualTo(cap == null ? Integer.MAX_VALUE : cap);
      }
    }
    for (TaskSpec t : s.spec().task()) {
      if (t.fansOut() && h.phase(t.name()) == TaskPhase.Succeeded) {
        for (int k = 0; k < t.forEachItems().size(); k++) {
          assertThat(h.phase(Instances.name(t.name(), k))).isEqualTo(TaskPhase.Succeeded);
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
}

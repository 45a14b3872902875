package io.kontroler.cli.bench;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.run.DagPlan;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunMachine;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.RunState;
import io.kontroler.core.run.TaskState;
import io.kontroler.core.run.Transition;
import io.kontroler.core.shape.Shapes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The run state machine alone, in memory: a whole run driven by an executor that answers every
 * launch with success at once. Measures nanoseconds per applied event.
 */
public final class MachineBench {
  private MachineBench() {}

  /** One measured workload: its size, events applied, and the median ns per event. */
  public record Result(String workload, int tasks, long events, double nsPerEvent, long wallMs) {}

  public static DagSpec chain(int n) {
    return Shapes.chain(n);
  }

  public static DagSpec fanout(int width) {
    return Shapes.fanout(width);
  }

  /** Layers of {@code width} tasks, each after two random tasks of the layer above. */
  public static DagSpec layered(int tasksTotal, int width, long seed) {
    Random random = new Random(seed);
    List<TaskSpec> tasks = new ArrayList<>(tasksTotal);
    for (int i = 0; i < tasksTotal; i++) {
      int layer = i / width;
      if (layer == 0) {
        tasks.add(task("t" + i, List.of()));
        continue;
      }
      int base = (layer - 1) * width;
      int a = base + random.nextInt(width);
      int b = base + random.nextInt(width);
      tasks.add(task("t" + i, a == b ? List.of("t" + a) : List.of("t" + a, "t" + b)));
    }
    return DagSpec.of(tasks);
  }

  private static TaskSpec task(String name, List<String> after) {
    return Shapes.task(name, after);
  }

  /**
   * Runs {@code spec} to completion {@code warmup} times unmeasured (so the JIT has compiled the
   * machine), then {@code repeats} times; returns the median.
   */
  public static Result measure(String workload, DagSpec spec, int warmup, int repeats) {
    DagPlan plan = DagPlan.of("bench/" + workload, 1, spec);
    for (int w = 0; w < warmup; w++) {
      runOnce(plan, "warmup-" + w);
    }
    double[] perEvent = new double[repeats];
    long events = 0;
    long wall = 0;
    for (int r = 0; r < repeats; r++) {
      long start = System.nanoTime();
      events = runOnce(plan, "run-" + r);
      long elapsed = System.nanoTime() - start;
      perEvent[r] = (double) elapsed / events;
      wall = elapsed / 1_000_000;
    }
    Arrays.sort(perEvent);
    return new Result(workload, spec.task().size(), events, perEvent[repeats / 2], wall);
  }

  private static long runOnce(DagPlan plan, String runId) {
    Map<String, TaskState> tasks = new HashMap<>(plan.size() * 2);
    Deque<RunCommand.LaunchTask> launches = new ArrayDeque<>();
    Instant at = Instant.EPOCH;
    Transition t =
        RunMachine.apply(
            plan,
            null,
            tasks::get,
            new RunEvent.RunRequested(runId, plan.dag(), 1, runId, Map.of(), at));
    RunState run = absorb(t, tasks, launches);
    long events = 1;
    while (!launches.isEmpty()) {
      RunCommand.LaunchTask l = launches.poll();
      t =
          RunMachine.apply(
              plan,
              run,
              tasks::get,
              new RunEvent.TaskSucceeded(runId, plan.dag(), l.task(), l.attempt(), at));
      run = absorb(t, tasks, launches);
      events++;
    }
    if (run.phase() != RunPhase.Succeeded) {
      throw new IllegalStateException("Expected the run to succeed, but it is " + run.phase());
    }
    return events;
  }

  private static RunState absorb(
      Transition t, Map<String, TaskState> tasks, Deque<RunCommand.LaunchTask> launches) {
    for (TaskState s : t.changedTasks()) {
      tasks.put(s.name(), s);
    }
    for (RunCommand c : t.commands()) {
      if (c instanceof RunCommand.LaunchTask l) {
        launches.add(l);
      }
    }
    return t.run();
  }
}

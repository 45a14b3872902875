package io.kontroler.core.shape;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/** DAG shapes for the bench and tests: every task runs {@code true} in busybox. */
public final class Shapes {
  private static final String IMAGE = "busybox";
  private static final List<String> COMMAND = List.of("true");

  private Shapes() {}

  public static TaskSpec task(String name, List<String> runAfter) {
    return TaskSpec.of(name, IMAGE, COMMAND, runAfter);
  }

  /** {@code n} tasks in a line: t0 -> t1 -> … */
  public static DagSpec chain(int n) {
    List<TaskSpec> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(task("t" + i, i == 0 ? List.of() : List.of("t" + (i - 1))));
    }
    return DagSpec.of(tasks);
  }

  /** start -> {@code width} parallel tasks -> end. */
  public static DagSpec fanout(int width) {
    List<TaskSpec> tasks = new ArrayList<>(width + 2);
    tasks.add(task("start", List.of()));
    List<String> middle = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      tasks.add(task("p" + i, List.of("start")));
      middle.add("p" + i);
    }
    tasks.add(task("end", middle));
    return DagSpec.of(tasks);
  }

  /** a -> (b, c) -> d. */
  public static DagSpec diamond() {
    return DagSpec.of(
        List.of(
            task("a", List.of()),
            task("b", List.of("a")),
            task("c", List.of("a")),
            task("d", List.of("b", "c"))));
  }

  /**
   * {@code layers} layers of {@code width} tasks; each task below the first runs after 2 tasks of
   * the layer above (the one at its own position and the next one).
   */
  public static DagSpec layered(int layers, int width) {
    List<TaskSpec> tasks = new ArrayList<>(layers * width);
    for (int l = 0; l < layers; l++) {
      for (int i = 0; i < width; i++) {
        List<String> after =
            l == 0
                ? List.of()
                : width == 1
                    ? List.of(name(l - 1, i))
                    : List.of(name(l - 1, i), name(l - 1, (i + 1) % width));
        tasks.add(task(name(l, i), after));
      }
    }
    return DagSpec.of(tasks);
  }

  private static String name(int layer, int i) {
    return "l" + layer + "-" + i;
  }
}

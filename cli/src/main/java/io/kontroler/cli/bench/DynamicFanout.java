package io.kontroler.cli.bench;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.shape.Shapes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The {@code fanout-dynamic} workload: the shape of {@code fanout} (1 → N → 1), but the middle is
 * one task with {@code forEach} over a literal list of N items, so the scheduler creates the N
 * instances ({@code process[0]} … ) when the task becomes ready. Its line adds {@code
 * ratio_to_fanout} when the static {@code fanout} ran in the same invocation: what the dynamic
 * fan-out costs over the same fan-out written out task by task.
 */
final class DynamicFanout {
  static final String WORKLOAD = "fanout-dynamic";
  static final String RATIO_TO_FANOUT = "ratio_to_fanout";

  private DynamicFanout() {}

  /**
   * start → process (forEach over the items 0 … {@code width - 1}, no parallelism cap) → end. Each
   * instance runs {@code echo {{ item }}}: the item is resolved in every launch, as a real fan-out
   * over a list would have it.
   */
  static DagSpec spec(int width) {
    List<Object> items = LongStream.range(0, width).mapToObj(i -> (Object) i).toList();
    TaskSpec process =
        TaskSpec.of("process", "busybox", List.of("echo", "{{ item }}"), List.of("start"))
            .withForEach(items, null);
    return DagSpec.of(
        List.of(Shapes.task("start", List.of()), process, Shapes.task("end", List.of("process"))));
  }

  /**
   * {@code dynamic} with {@code ratio_to_fanout}: its median wall time over {@code fanout}'s.
   * {@code dynamic} as it is when the static fan-out did not run (null), or either did not
   * complete.
   */
  static BenchResult withRatioToFanout(BenchResult dynamic, BenchResult fanout) {
    if (fanout == null || fanout.error() != null || dynamic.error() != null) {
      return dynamic;
    }
    Map<String, Number> figures = new LinkedHashMap<>(dynamic.figures());
    figures.put(
        RATIO_TO_FANOUT,
        Stats.ratio(dynamic.decimal(BenchResult.WALL_MS), fanout.decimal(BenchResult.WALL_MS)));
    return new BenchResult(dynamic.workload(), dynamic.guarantee(), figures, null);
  }
}

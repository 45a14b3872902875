package io.kontroler.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** fanout-dynamic's DAG and its ratio to the static fan-out. */
class DynamicFanoutTest {

  private static BenchResult result(String workload, long wallMs, String error) {
    Map<String, Number> f = new LinkedHashMap<>();
    f.put(BenchResult.TASKS, 1002L);
    f.put(BenchResult.WALL_MS, wallMs);
    f.put(BenchResult.TASKS_PER_S, 1002_000.0 / wallMs);
    return new BenchResult(workload, "exactly_once_v2", f, error);
  }

  @Test
  void isStartThenOneTaskOverTheItemsThenEnd() {
    DagSpec spec = DynamicFanout.spec(3);
    assertThat(spec.task()).extracting(TaskSpec::name).containsExactly("start", "process", "end");
    TaskSpec process = spec.task().get(1);
    assertThat(process.runAfter()).containsExactly("start");
    assertThat(process.forEachItems()).containsExactly(0L, 1L, 2L);
    assertThat(process.parallelism()).isNull();
    assertThat(process.command()).containsExactly("echo", "{{ item }}");
    assertThat(spec.task().get(2).runAfter()).containsExactly("process");
  }

  @Test
  void addsTheRatioOfTheWallTimesAfterTheOtherFigures() {
    BenchResult r =
        DynamicFanout.withRatioToFanout(
            result(DynamicFanout.WORKLOAD, 900, null), result("fanout", 600, null));
    assertThat(r.decimal(DynamicFanout.RATIO_TO_FANOUT)).isEqualTo(1.5);
    assertThat(r.wallMs()).isEqualTo(900);
    assertThat(r.figures().keySet())
        .containsExactly(
            BenchResult.TASKS,
            BenchResult.WALL_MS,
            BenchResult.TASKS_PER_S,
            DynamicFanout.RATIO_TO_FANOUT);
    assertThat(r.toJson()).contains("\"wall_ms\":900,", "\"ratio_to_fanout\":1.50,");
  }

  @Test
  void hasNoRatioWhenTheStaticFanoutDidNotRunOrEitherFailed() {
    BenchResult dynamic = result(DynamicFanout.WORKLOAD, 900, null);
    assertThat(DynamicFanout.withRatioToFanout(dynamic, null)).isEqualTo(dynamic);
    assertThat(DynamicFanout.withRatioToFanout(dynamic, result("fanout", 600, "timed out")))
        .isEqualTo(dynamic);
    BenchResult failed = result(DynamicFanout.WORKLOAD, 900, "timed out");
    assertThat(DynamicFanout.withRatioToFanout(failed, result("fanout", 600, null)))
        .isEqualTo(failed);
    assertThat(DynamicFanout.withRatioToFanout(dynamic, null).toJson())
        .doesNotContain("ratio_to_fanout");
  }
}

package io.kontroler.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The bench's programmatic API, as {@code kontroler bench} calls it: every workload at its tiny
 * size on the real broker and topology. Figures are checked for presence and consistency, never
 * against a time.
 */
class BenchIT {

  @Test
  void runsEveryWorkloadAtATinySize() {
    BenchSizes tiny = BenchSizes.TINY;
    List<BenchResult> results =
        Bench.runAll(
            BenchOptions.defaults()
                .withWarmUp(false)
                .withRepetitions(1)
                .withSizes(tiny)
                .withLoad(20, Duration.ofSeconds(2)),
            Bench.WORKLOADS);

    assertThat(results)
        .extracting(BenchResult::workload)
        .containsExactlyElementsOf(Bench.WORKLOADS);
    assertThat(results).extracting(BenchResult::error).containsOnlyNulls();
    Map<String, BenchResult> by =
        results.stream().collect(Collectors.toMap(BenchResult::workload, Function.identity()));

    BenchResult chain = by.get("chain");
    assertThat(chain.tasks()).isEqualTo(tiny.chain());
    assertThat(chain.hopP50Ms()).isPositive();
    assertThat(chain.hopP99Ms()).isGreaterThanOrEqualTo(chain.hopP50Ms());
    assertThat(chain.decimal(BenchResult.HOP_MEAN_MS)).isPositive();
    assertThat(chain.decimal(HopBreakdown.TO_SCHEDULER)).isPositive();
    assertThat(chain.decimal(HopBreakdown.IN_SCHEDULER)).isNotNegative();
    assertThat(chain.decimal(HopBreakdown.COMMIT)).isPositive();
    assertThat(chain.decimal(HopBreakdown.COMMITS_PER_HOP)).isPositive();
    // every hop: the executor's outcome and the scheduler's launch produced, each fetched, and the
    // launch's transaction (offsets, end, markers) at least
    assertThat(chain.decimal(HopRequests.PRODUCE)).isGreaterThanOrEqualTo(2.0);
    assertThat(chain.decimal(HopRequests.FETCH)).isGreaterThanOrEqualTo(2.0);
    assertThat(chain.decimal(HopRequests.TXN)).isGreaterThanOrEqualTo(3.0);
    assertThat(chain.toJson())
        .startsWith("{\"workload\":\"chain\",\"tasks\":" + tiny.chain() + ",\"wall_ms\":")
        .contains("\"hop_p50_ms\":", "\"hop_mean_ms\":", "\"hop_p99_ms\":", "\"commit_ms\":");

    assertThat(by.get("fanout").tasks()).isEqualTo(tiny.fanout() + 2);
    BenchResult dynamic = by.get(DynamicFanout.WORKLOAD);
    assertThat(dynamic.tasks()).isEqualTo(tiny.fanout() + 2);
    assertThat(dynamic.wallMs()).isPositive();
    assertThat(dynamic.decimal(DynamicFanout.RATIO_TO_FANOUT))
        .isEqualTo((double) dynamic.wallMs() / by.get("fanout").wallMs());
    assertThat(by.get("diamonds").tasks()).isEqualTo(4 * tiny.diamonds());
    assertThat(by.get("diamonds").hopP50Ms()).isNull();

    for (String large : List.of("large", "xlarge")) {
      BenchResult r = by.get(large);
      assertThat(r.figure(BenchResult.HEAP_PEAK_MB).longValue()).as(large).isPositive();
      // a changelog record holds at least a task's state
      assertThat(r.figure(BenchResult.MAX_RECORD_BYTES).longValue()).as(large).isGreaterThan(50);
    }
    assertThat(by.get("xlarge").tasks()).isEqualTo(tiny.xlargeLayers() * tiny.layerWidth());

    BenchResult sustained = by.get("sustained");
    assertThat(sustained.figure("runs").longValue()).isEqualTo(40);
    assertThat(sustained.tasks()).isEqualTo(160);
    assertThat(sustained.decimal("runs_per_s")).isPositive();
    assertThat(sustained.decimal("latency_p99_ms"))
        .isGreaterThanOrEqualTo(sustained.decimal("latency_p50_ms"));
    assertThat(sustained.figure("lag_end").longValue()).isNotNegative();

    BenchResult process = by.get("process");
    assertThat(process.tasks()).isEqualTo(tiny.processWidth() + 2);
    assertThat(process.decimal("per_task_ms")).isPositive();
    assertThat(process.decimal("floor_per_task_ms")).isPositive();

    BenchResult floor = by.get("floor");
    assertThat(floor.guarantee()).isNull();
    assertThat(floor.decimal("leg_p99_ms")).isGreaterThanOrEqualTo(floor.decimal("leg_p50_ms"));
    assertThat(floor.hopP50Ms()).isEqualTo(chain.hopP50Ms());
    assertThat(floor.decimal("hop_over_2_legs"))
        .isEqualTo(chain.hopP50Ms() / (2 * floor.decimal("leg_p50_ms")));
  }

  @Test
  void rejectsAnUnknownWorkloadBeforeStartingAnything() {
    assertThatThrownBy(() -> Bench.runAll(BenchOptions.defaults(), List.of("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chain");
  }
}

package io.kontroler.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's programmatic API, as {@code kontroler bench} calls it, on short settings. */
class BenchIT {

  @Test
  void measuresTheChainAndDiamondsOnTheRealBrokerAndTopology() {
    List<BenchResult> results =
        Bench.runAll(
            BenchOptions.defaults().withWarmUp(false).withRepetitions(1),
            List.of("chain", "diamonds"));

    assertThat(results).extracting(BenchResult::workload).containsExactly("chain", "diamonds");
    BenchResult chain = results.get(0);
    assertThat(chain.tasks()).isEqualTo(200);
    assertThat(chain.hopP50Ms()).isPositive();
    assertThat(chain.hopP99Ms()).isGreaterThanOrEqualTo(chain.hopP50Ms());
    assertThat(chain.toJson())
        .startsWith("{\"workload\":\"chain\",\"tasks\":200,\"wall_ms\":")
        .contains("\"tasks_per_s\":", "\"hop_p50_ms\":", "\"hop_p99_ms\":");
    BenchResult diamonds = results.get(1);
    assertThat(diamonds.tasks()).isEqualTo(2000);
    assertThat(diamonds.hopP50Ms()).isNull();
    assertThat(diamonds.toJson()).contains("\"hop_p50_ms\":null");
  }

  @Test
  void rejectsAnUnknownWorkloadBeforeStartingAnything() {
    assertThatThrownBy(() -> Bench.runAll(BenchOptions.defaults(), List.of("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chain");
  }

  @Test
  void computesPercentilesByNearestRank() {
    assertThat(Bench.percentile(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 50)).isEqualTo(3.0);
    assertThat(Bench.percentile(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 99)).isEqualTo(5.0);
  }
}

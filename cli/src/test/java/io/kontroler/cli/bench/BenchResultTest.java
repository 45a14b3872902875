package io.kontroler.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's figures: JSON, text and medians over repetitions. */
class BenchResultTest {

  private static BenchResult chain(long wallMs, double p50, Double p99) {
    Map<String, Number> f = new LinkedHashMap<>();
    f.put(BenchResult.TASKS, 200L);
    f.put(BenchResult.WALL_MS, wallMs);
    f.put(BenchResult.HOP_P50_MS, p50);
    f.put(BenchResult.HOP_P99_MS, p99);
    return new BenchResult("chain", "exactly_once_v2", f, null);
  }

  @Test
  void printsFiguresInOrderWithTwoDecimalsAndNullForMissingOnes() {
    assertThat(chain(412, 1.234, null).toJson())
        .isEqualTo(
            "{\"workload\":\"chain\",\"tasks\":200,\"wall_ms\":412,\"hop_p50_ms\":1.23,"
                + "\"hop_p99_ms\":null,\"guarantee\":\"exactly_once_v2\"}");
  }

  @Test
  void leavesOutAMissingGuaranteeAndEscapesAnError() {
    BenchResult r =
        new BenchResult("xlarge", null, Map.of(BenchResult.TASKS, 5L), "said \"no\"\\\n");
    assertThat(r.toJson())
        .isEqualTo(
            "{\"workload\":\"xlarge\",\"tasks\":5,\"error\":\"said \\\"no\\\"\\\\\\u000a\"}");
    assertThat(r.toText()).contains("tasks 5", "error: said");
  }

  @Test
  void takesTheMedianOfEachFigureAndKeepsCountsWhole() {
    BenchResult m =
        BenchResult.median(
            List.of(chain(300, 2.0, 9.0), chain(100, 1.0, 5.0), chain(200, 4.0, 7.0)));
    assertThat(m.wallMs()).isEqualTo(200);
    assertThat(m.figure(BenchResult.WALL_MS)).isInstanceOf(Long.class);
    assertThat(m.hopP50Ms()).isEqualTo(2.0);
    assertThat(m.hopP99Ms()).isEqualTo(7.0);
    assertThat(m.tasks()).isEqualTo(200);
  }

  @Test
  void aFigureMissingInAnySampleHasNoMedian() {
    BenchResult m = BenchResult.median(List.of(chain(1, 1.0, 2.0), chain(1, 1.0, null)));
    assertThat(m.hopP99Ms()).isNull();
    assertThat(m.toJson()).contains("\"hop_p99_ms\":null");
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    BenchResult m = BenchResult.median(List.of(chain(100, 1.0, 1.0), chain(201, 2.0, 1.0)));
    assertThat(m.hopP50Ms()).isEqualTo(1.5);
    assertThat(m.wallMs()).isEqualTo(150);
  }
}

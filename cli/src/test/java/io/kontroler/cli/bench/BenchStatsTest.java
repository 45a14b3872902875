package io.kontroler.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's arithmetic on samples. */
class BenchStatsTest {

  @Test
  void computesPercentilesByNearestRank() {
    List<Double> values = List.of(5.0, 1.0, 3.0, 2.0, 4.0);
    assertThat(Stats.percentile(values, 50)).isEqualTo(3.0);
    assertThat(Stats.percentile(values, 99)).isEqualTo(5.0);
    assertThat(Stats.percentile(values, 100)).isEqualTo(5.0);
    assertThat(Stats.percentile(values, 20)).isEqualTo(1.0);
    assertThat(Stats.percentile(List.of(), 50)).isNaN();
  }

  @Test
  void theP99OfTwoHundredSamplesIsTheSecondLargest() {
    double[] values = new double[200];
    for (int i = 0; i < 200; i++) {
      values[i] = i + 1;
    }
    assertThat(Stats.percentile(values, 99)).isEqualTo(198.0);
    assertThat(Stats.percentile(values, 50)).isEqualTo(100.0);
  }

  @Test
  void computesMediansMeansAndRatios() {
    assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2.0);
    assertThat(Stats.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    assertThat(Stats.median(new double[0])).isNaN();
    assertThat(Stats.mean(List.of(1.0, 2.0, 6.0))).isEqualTo(3.0);
    assertThat(Stats.mean(List.of())).isNaN();
    assertThat(Stats.ratio(3.0, 2.0)).isEqualTo(1.5);
    assertThat(Stats.ratio(null, 2.0)).isNaN();
    assertThat(Stats.ratio(3.0, 0.0)).isNaN();
  }
}

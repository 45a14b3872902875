package io.kontroler.cli.bench;

import java.util.Arrays;
import java.util.Collection;

/** The bench's arithmetic on samples: nearest-rank percentiles, medians and means. */
final class Stats {
  private Stats() {}

  /** The nearest-rank {@code p}th percentile (0 < p <= 100) of {@code values}; NaN when empty. */
  static double percentile(Collection<Double> values, double p) {
    return percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), p);
  }

  /** The nearest-rank {@code p}th percentile (0 < p <= 100) of {@code values}; NaN when empty. */
  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** The median; the mean of the middle two for an even count; NaN when empty. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The arithmetic mean; NaN when empty. */
  static double mean(Collection<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** {@code numerator / denominator}, or NaN when either is missing or the denominator is 0. */
  static double ratio(Double numerator, Double denominator) {
    if (numerator == null || denominator == null || denominator == 0) {
      return Double.NaN;
    }
    return numerator / denominator;
  }
}

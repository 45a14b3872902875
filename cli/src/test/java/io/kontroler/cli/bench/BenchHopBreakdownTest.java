package io.kontroler.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a hop's time went, from its four instants and the scheduler's commit time. */
class BenchHopBreakdownTest {
  private static final long MS = 1_000_000;

  @Test
  void splitsEachHopIntoFourStretchesThatAddUpToTheMeanHop() {
    List<HopBreakdown.Hop> hops =
        List.of(
            new HopBreakdown.Hop(0L, 300_000L, 500_000L, 2 * MS),
            new HopBreakdown.Hop(10 * MS, 10 * MS + 500_000, 11 * MS, 13 * MS));
    // 2 commits in all, 1.2 ms of them, and one retried batch
    Map<String, Number> f = HopBreakdown.of(hops, new ClientMetrics(1.2e6, 2, 1));
    Map<String, Number> moreCommits = HopBreakdown.of(hops, new ClientMetrics(2.4e6, 4, 1));

    assertThat(f.get(HopBreakdown.TO_SCHEDULER).doubleValue()).isCloseTo(0.4, within(1e-9));
    assertThat(f.get(HopBreakdown.IN_SCHEDULER).doubleValue()).isCloseTo(0.35, within(1e-9));
    assertThat(f.get(HopBreakdown.COMMIT).doubleValue()).isCloseTo(0.6, within(1e-9));
    assertThat(f.get(HopBreakdown.TO_EXECUTOR).doubleValue()).isCloseTo(1.15, within(1e-9));
    assertThat(f.get(HopBreakdown.COMMITS_PER_HOP).doubleValue()).isEqualTo(1.0);
    // a hop waits for one commit, however many others happened meanwhile
    assertThat(moreCommits.get(HopBreakdown.COMMIT).doubleValue()).isCloseTo(0.6, within(1e-9));
    assertThat(moreCommits.get(HopBreakdown.COMMITS_PER_HOP).doubleValue()).isEqualTo(2.0);
    assertThat(f.get(HopBreakdown.RETRIES_PER_HOP).doubleValue()).isEqualTo(0.5);
    double sum =
        f.get(HopBreakdown.TO_SCHEDULER).doubleValue()
            + f.get(HopBreakdown.IN_SCHEDULER).doubleValue()
            + f.get(HopBreakdown.COMMIT).doubleValue()
            + f.get(HopBreakdown.TO_EXECUTOR).doubleValue();
    double meanHop = (hops.get(0).totalMs() + hops.get(1).totalMs()) / 2;
    assertThat(sum).isCloseTo(meanHop, within(1e-9));
  }

  @Test
  void leavesOutHopsWithAMissingInstant() {
    List<HopBreakdown.Hop> hops =
        List.of(
            new HopBreakdown.Hop(0L, MS, 2 * MS, 3 * MS),
            new HopBreakdown.Hop(0L, null, 2 * MS, 3 * MS));
    Map<String, Number> f = HopBreakdown.of(hops, new ClientMetrics(0, 0, 0));
    assertThat(f.get(HopBreakdown.TO_SCHEDULER).doubleValue()).isEqualTo(1.0);
  }
}

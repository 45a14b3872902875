package io.kontroler.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A hop's broker requests, from the delta of the broker's request totals over a chain. */
class HopRequestsTest {

  @Test
  void countsEachKindPerHopAndTheTransactionsRequestsTogether() {
    BrokerRequests before =
        new BrokerRequests(
            Map.of(
                "Produce", new BrokerRequests.Totals(10, 20, 5),
                "EndTxn", new BrokerRequests.Totals(2, 1, 0)),
            1);
    BrokerRequests after =
        new BrokerRequests(
            Map.of(
                "Produce", new BrokerRequests.Totals(30, 50, 15),
                "FetchConsumer", new BrokerRequests.Totals(40, 400, 390),
                "AddPartitionsToTxn", new BrokerRequests.Totals(20, 6, 0),
                "TxnOffsetCommit", new BrokerRequests.Totals(10, 20, 12),
                "EndTxn", new BrokerRequests.Totals(12, 5, 0),
                "WriteTxnMarkers", new BrokerRequests.Totals(10, 15, 3),
                "Heartbeat", new BrokerRequests.Totals(1, 1, 0)),
            3);

    BrokerRequests during = after.since(before);
    Map<String, Number> f = HopRequests.of(during, 10);

    assertThat(f.get(HopRequests.PRODUCE).doubleValue()).isEqualTo(2.0);
    assertThat(f.get(HopRequests.FETCH).doubleValue()).isEqualTo(4.0);
    // 20 verifications, 10 offset commits, 10 ends, 10 marker writes
    assertThat(f.get(HopRequests.TXN).doubleValue()).isEqualTo(5.0);
    assertThat(f.get(HopRequests.FETCH_EXPIRED).doubleValue()).isEqualTo(0.2);
    assertThat(f.get(HopRequests.MARKERS_MS).doubleValue()).isCloseTo(1.5, within(1e-9));
    assertThat(during.meanMs("Produce")).isCloseTo(1.5, within(1e-9));
    assertThat(during.meanRemoteMs("Produce")).isCloseTo(0.5, within(1e-9));
    assertThat(HopRequests.describe(during, 10))
        .contains("Produce", "2.00 a hop", "WriteTxnMarkers", "0.20 a hop");
  }

  @Test
  void leavesOutKindsThatDidNotChange() {
    BrokerRequests same =
        new BrokerRequests(Map.of("Produce", new BrokerRequests.Totals(5, 5, 0)), 0);

    BrokerRequests during = same.since(same);

    assertThat(during.byRequest()).isEmpty();
    assertThat(HopRequests.of(during, 4).get(HopRequests.PRODUCE).doubleValue()).isZero();
    assertThat(during.meanMs("Produce")).isNaN();
  }
}

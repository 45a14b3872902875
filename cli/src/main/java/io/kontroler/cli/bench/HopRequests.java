package io.kontroler.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The broker requests a chain's hops took, per hop: counts that do not depend on how busy the
 * machine is, unlike the times of {@link HopBreakdown}. A chain runs one hop at a time, so what the
 * broker answered during it, divided by the hops, is what one hop costs (idle consumers' fetches
 * and heartbeats included, which is why fetches can exceed the two a hop needs).
 */
final class HopRequests {
  static final String PRODUCE = "produce_per_hop";
  static final String FETCH = "fetch_per_hop";
  static final String TXN = "txn_requests_per_hop";
  static final String FETCH_EXPIRED = "fetch_expired_per_hop";
  static final String MARKERS_MS = "markers_ms";

  /**
   * The requests that make a transaction: the client's (offsets, end) and the brokers' own (a
   * partition leader adding the partition to the transaction, the coordinator writing markers).
   */
  static final List<String> TRANSACTION =
      List.of(
          "AddPartitionsToTxn", "AddOffsetsToTxn", "TxnOffsetCommit", "EndTxn", "WriteTxnMarkers");

  private HopRequests() {}

  /** Requests per hop of {@code during} over {@code hops} hops; NaN when there were none. */
  static Map<String, Number> of(BrokerRequests during, int hops) {
    Map<String, Number> f = new LinkedHashMap<>();
    f.put(PRODUCE, perHop(during.count("Produce"), hops));
    f.put(FETCH, perHop(during.count("FetchConsumer"), hops));
    f.put(TXN, perHop(TRANSACTION.stream().mapToDouble(during::count).sum(), hops));
    f.put(FETCH_EXPIRED, perHop(during.expiredFetches(), hops));
    f.put(MARKERS_MS, during.meanMs("WriteTxnMarkers"));
    return f;
  }

  /** Every kind of request per hop with its mean time and time parked, for the log. */
  static String describe(BrokerRequests during, int hops) {
    StringBuilder b = new StringBuilder();
    during
        .byRequest()
        .forEach(
            (name, t) ->
                b.append(
                    String.format(
                        Locale.ROOT,
                        "%n  %-28s %6.2f a hop, %7.3f ms each (%.3f ms parked)",
                        name,
                        t.count() / hops,
                        t.totalMs() / t.count(),
                        t.remoteMs() / t.count())));
    b.append(
        String.format(
            Locale.ROOT,
            "%n  consumer fetches that waited their whole max wait: %.2f a hop",
            during.expiredFetches() / hops));
    return b.toString();
  }

  private static double perHop(double count, int hops) {
    return hops <= 0 ? Double.NaN : count / hops;
  }
}

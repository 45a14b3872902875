package io.kontroler.cli.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Totals of the in-process broker's request metrics, read over JMX in this JVM (the broker reports
 * there): how many requests of each kind it answered and how long they took in all and waiting in a
 * purgatory, and how many consumer fetches it let wait their whole {@code fetch.max.wait.ms}.
 * Counting, unlike timing, does not depend on how busy the machine is: deltas of two readings say
 * how many requests a stretch of work took. Inter-broker requests (the transaction coordinator's
 * markers, a partition leader adding itself to a transaction) count too: a single broker sends them
 * to itself.
 *
 * @param byRequest request name (Produce, FetchConsumer, EndTxn, WriteTxnMarkers, …) → totals
 * @param expiredFetches consumer fetches answered only when their maximum wait ran out
 */
record BrokerRequests(Map<String, Totals> byRequest, double expiredFetches) {

  /**
   * @param count requests answered
   * @param totalMs their summed time from arrival to response sent
   * @param remoteMs their summed time parked in a purgatory (a fetch waiting for data, a produce
   *     waiting for replicas, a request waiting for another broker)
   */
  record Totals(double count, double totalMs, double remoteMs) {
    Totals minus(Totals o) {
      return new Totals(count - o.count, totalMs - o.totalMs, remoteMs - o.remoteMs);
    }

    Totals plus(Totals o) {
      return new Totals(count + o.count, totalMs + o.totalMs, remoteMs + o.remoteMs);
    }
  }

  private static final Totals NONE = new Totals(0, 0, 0);

  /** The totals now; empty when no broker runs in this JVM. */
  static BrokerRequests read() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Map<String, Totals> totals = new TreeMap<>();
    try {
      for (ObjectName name :
          server.queryNames(
              new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
        String request = name.getKeyProperty("request");
        totals.merge(request, new Totals(value(server, name, "Count"), 0, 0), Totals::plus);
      }
      for (Map.Entry<String, Totals> e : totals.entrySet()) {
        String request = e.getKey();
        double total = sum(server, "TotalTimeMs", request);
        double remote = sum(server, "RemoteTimeMs", request);
        e.setValue(new Totals(e.getValue().count(), total, remote));
      }
      // Fetch's times are kept apart for consumers and followers, under names of their own.
      for (String fetch : new String[] {"FetchConsumer", "FetchFollower"}) {
        double count = histogramCount(server, "TotalTimeMs", fetch);
        if (count > 0) {
          totals.put(
              fetch,
              new Totals(
                  count, sum(server, "TotalTimeMs", fetch), sum(server, "RemoteTimeMs", fetch)));
        }
      }
      double expired =
          value(
              server,
              new ObjectName(
                  "kafka.server:type=DelayedFetchMetrics,name=ExpiresPerSec,fetcherType=consumer"),
              "Count");
      return new BrokerRequests(totals, expired);
    } catch (JMException e) {
      return new BrokerRequests(Map.of(), Double.NaN);
    }
  }

  /** What happened between {@code earlier} and this reading. */
  BrokerRequests since(BrokerRequests earlier) {
    Map<String, Totals> delta = new TreeMap<>();
    byRequest.forEach(
        (name, t) -> {
          Totals d = t.minus(earlier.byRequest.getOrDefault(name, NONE));
          if (d.count() > 0) {
            delta.put(name, d);
          }
        });
    return new BrokerRequests(delta, expiredFetches - earlier.expiredFetches);
  }

  /** Requests of {@code name} answered (0 when none). */
  double count(String name) {
    return byRequest.getOrDefault(name, NONE).count();
  }

  /** Their mean time in milliseconds, or NaN when none. */
  double meanMs(String name) {
    Totals t = byRequest.getOrDefault(name, NONE);
    return t.count() == 0 ? Double.NaN : t.totalMs() / t.count();
  }

  /** Their mean time parked in a purgatory in milliseconds, or NaN when none. */
  double meanRemoteMs(String name) {
    Totals t = byRequest.getOrDefault(name, NONE);
    return t.count() == 0 ? Double.NaN : t.remoteMs() / t.count();
  }

  private static double sum(MBeanServer server, String metric, String request) throws JMException {
    ObjectName name =
        new ObjectName("kafka.network:type=RequestMetrics,name=" + metric + ",request=" + request);
    if (!server.isRegistered(name)) {
      return 0;
    }
    return value(server, name, "Mean") * value(server, name, "Count");
  }

  private static double histogramCount(MBeanServer server, String metric, String request)
      throws JMException {
    ObjectName name =
        new ObjectName("kafka.network:type=RequestMetrics,name=" + metric + ",request=" + request);
    return server.isRegistered(name) ? value(server, name, "Count") : 0;
  }

  private static double value(MBeanServer server, ObjectName name, String attribute) {
    try {
      Object v = server.getAttribute(name, attribute);
      return v instanceof Number n ? n.doubleValue() : 0;
    } catch (JMException e) {
      return 0;
    }
  }
}

package io.kontroler.cli.bench;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Totals of the scheduler's producer metrics, read over JMX in this JVM (Kafka clients report there
 * by default): how long its stream threads spent committing transactions and how many sends the
 * broker made them retry. Deltas of two readings cover what happened in between.
 *
 * @param commitNanos time in flush, send-offsets and commit of transactions
 * @param commits transactions committed
 * @param retries record batches sent again after a retriable error (CONCURRENT_TRANSACTIONS and the
 *     like)
 */
record ClientMetrics(double commitNanos, double commits, double retries) {

  /** The totals now, over every producer whose client id names a stream thread. */
  static ClientMetrics read() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    double commitNanos = 0;
    double commits = 0;
    double retries = 0;
    try {
      Set<ObjectName> names =
          server.queryNames(new ObjectName("kafka.producer:type=producer-metrics,*"), null);
      for (ObjectName name : names) {
        String client = name.getKeyProperty("client-id");
        if (client == null || !client.contains("StreamThread")) {
          continue;
        }
        commitNanos +=
            value(server, name, "txn-commit-time-ns-total")
                + value(server, name, "txn-send-offsets-time-ns-total")
                + value(server, name, "flush-time-ns-total");
        retries += value(server, name, "record-retry-total");
      }
      for (ObjectName name :
          server.queryNames(new ObjectName("kafka.streams:type=stream-thread-metrics,*"), null)) {
        commits += value(server, name, "commit-total");
      }
    } catch (JMException e) {
      return new ClientMetrics(Double.NaN, Double.NaN, Double.NaN);
    }
    return new ClientMetrics(commitNanos, commits, retries);
  }

  /** What happened between {@code earlier} and this reading. */
  ClientMetrics since(ClientMetrics earlier) {
    return new ClientMetrics(
        commitNanos - earlier.commitNanos, commits - earlier.commits, retries - earlier.retries);
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

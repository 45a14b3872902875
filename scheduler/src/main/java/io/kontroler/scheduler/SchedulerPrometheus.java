package io.kontroler.scheduler;

import io.kontroler.scheduler.topology.SchedulerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A scheduler instance's metrics in the Prometheus text format its health endpoint serves on {@code
 * /metrics}: the counters of {@link SchedulerMetrics} (internal errors, which fail their run as
 * INTERNAL; dead letters; lost attempts; timer retries; failed stream threads), the commits its
 * stream threads made, and whether it is ready.
 */
public final class SchedulerPrometheus {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  SchedulerPrometheus(SchedulerMetrics metrics, KafkaStreams streams, BooleanSupplier ready) {
    counter(
        "kontroler.scheduler.internal.errors",
        "Records, timers or leases that threw; the run they belong to failed as INTERNAL",
        metrics,
        SchedulerMetrics::internalErrors);
    counter(
        "kontroler.scheduler.dead.letters",
        "Records sent to the dead-letter topic: unreadable, refused or failed inside",
        metrics,
        SchedulerMetrics::deadLetters);
    counter(
        "kontroler.scheduler.attempts.lost",
        "Attempts failed as lost because their executor's lease expired",
        metrics,
        SchedulerMetrics::lostAttempts);
    counter(
        "kontroler.scheduler.timer.retries",
        "Timers that threw and were put back to fire again",
        metrics,
        SchedulerMetrics::timerRetries);
    counter(
        "kontroler.scheduler.stream.thread.failures",
        "Stream threads that died and were replaced",
        metrics,
        SchedulerMetrics::failedStreamThreads);
    FunctionCounter.builder("kontroler.scheduler.commits", streams, SchedulerPrometheus::commits)
        .description("Commits of the instance's stream threads (a transaction each, exactly once)")
        .register(registry);
    Gauge.builder("kontroler.scheduler.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
        .description("1 while the instance's streams run and no stream thread failed lately")
        .register(registry);
  }

  private <T> void counter(String name, String description, T source, ToDoubleFunction<T> count) {
    FunctionCounter.builder(name, source, count).description(description).register(registry);
  }

  /** The sum of Kafka Streams' {@code commit-total} over the instance's stream threads. */
  private static double commits(KafkaStreams streams) {
    double total = 0;
    for (Metric metric : streams.metrics().values()) {
      if (metric.metricName().name().equals("commit-total")
          && metric.metricName().group().equals("stream-thread-metrics")
          && metric.metricValue() instanceof Number n) {
        total += n.doubleValue();
      }
    }
    return total;
  }

  /** The registry, for a test or an endpoint that serves it some other way. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }
}

package io.kontroler.executor;

import io.kontroler.broker.loop.LoopHealth;
import io.kontroler.broker.loop.LoopMetrics;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.executor.backend.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An executor worker's metrics, in the Prometheus text format its health endpoint serves on {@code
 * /metrics}: attempts in flight, launches accepted, attempts finished by outcome, records
 * dead-lettered, how far behind the worker reads its launch partitions, and its loops' health.
 * Every meter carries the worker's {@code backend} ({@code process} or {@code kubernetes}).
 */
public final class ExecutorMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String backend;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong lag = new AtomicLong();
  private final Counter accepted;
  private final Counter deadLetters;

  public ExecutorMetrics(ExecutorConfig.Backend backend) {
    this.backend = backend.name().toLowerCase(Locale.ROOT);
    Gauge.builder("kontroler.executor.attempts.in.flight", inFlight, AtomicInteger::get)
        .description("Attempts the worker follows now: started, starting or ending")
        .tag("backend", this.backend)
        .register(registry);
    Gauge.builder("kontroler.executor.consumer.lag", lag, AtomicLong::get)
        .description("Launch records not yet read on the partitions the worker holds")
        .tag("backend", this.backend)
        .register(registry);
    this.accepted =
        Counter.builder("kontroler.executor.launches.accepted")
            .description("Launches taken: announced with TaskAccepted, then started")
            .tag("backend", this.backend)
            .register(registry);
    this.deadLetters =
        Counter.builder("kontroler.executor.dead.letters")
            .description("Records of the launches topic that hold no command, dead-lettered")
            .tag("backend", this.backend)
            .register(registry);
    finishedCounter("succeeded");
    finishedCounter("failed");
  }

  /** The registry, for a test or an endpoint that serves it some other way. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  /** Counts {@code loop}'s failures and tells whether {@code health} finds it working. */
  void watch(SupervisedLoop loop, LoopHealth health) {
    LoopMetrics.register(loop, health, registry);
  }

  void inFlight(int attempts) {
    inFlight.set(attempts);
  }

  void lag(long records) {
    lag.set(records);
  }

  void accepted(int launches) {
    accepted.increment(launches);
  }

  void deadLettered() {
    deadLetters.increment();
  }

  /** An attempt's end is on the broker. */
  void finished(Phase phase) {
    finishedCounter(phase == Phase.Succeeded ? "succeeded" : "failed").increment();
  }

  private Counter finishedCounter(String outcome) {
    return Counter.builder("kontroler.executor.launches.finished")
        .description("Attempts that ended and whose outcome the broker has, by outcome")
        .tag("backend", backend)
        .tag("outcome", outcome)
        .register(registry);
  }
}

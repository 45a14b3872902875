package io.kontroler.api.metrics;

import io.kontroler.api.history.Projection;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunCommand.SlaMissed;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Kontroler's metrics, counted from the run history as it is projected: runs started and finished
 * by phase, task outcomes by kind, queue-to-start latency of attempts, and the hop latency from an
 * event's time to the api applying it, and missed SLAs by DAG. Consumer lag is added by {@link
 * ConsumerLag}.
 */
public final class ApiMetrics implements Projection.Listener {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private final Counter started;
  private final Timer queueToStart;
  private final Timer hop;

  public ApiMetrics(Clock clock) {
    this.clock = clock;
    this.started =
        Counter.builder("kontroler.runs.started")
            .description("Runs that started")
            .register(registry);
    this.queueToStart =
        Timer.builder("kontroler.task.queue.to.start")
            .description("From an attempt queued to its container running")
            .publishPercentileHistogram()
            .register(registry);
    this.hop =
        Timer.builder("kontroler.event.hop")
            .description("From a run event's time to the api applying it")
            .publishPercentileHistogram()
            .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void applied(Notification event, Instant queuedAt) {
    Duration sinceEvent = Duration.between(event.at(), clock.instant());
    if (!sinceEvent.isNegative()) {
      hop.record(sinceEvent);
    }
    if (event instanceof RunPhaseChanged r) {
      if (r.from() == RunPhase.Pending && r.to() == RunPhase.Running) {
        started.increment();
      }
      if (r.to().isFinal()) {
        finished(r.to().name());
      }
    } else if (event instanceof RunRejected) {
      finished("Rejected");
    } else if (event instanceof TaskPhaseChanged t) {
      task(t, queuedAt);
    } else if (event instanceof SlaMissed m) {
      Counter.builder("kontroler.sla.missed")
          .description("Runs and task attempts that missed their DAG's SLA (spec.sla), by DAG")
          .tag("dag", m.dag())
          .register(registry)
          .increment();
    }
  }

  private void finished(String phase) {
    Counter.builder("kontroler.runs.finished")
        .description("Runs that finished, by phase")
        .tag("phase", phase)
        .register(registry)
        .increment();
  }

  private void task(TaskPhaseChanged t, Instant queuedAt) {
    if (t.to() == TaskPhase.Running && queuedAt != null) {
      Duration wait = Duration.between(queuedAt, t.at());
      if (!wait.isNegative()) {
        queueToStart.record(wait);
      }
    }
    String outcome = outcome(t);
    if (outcome != null) {
      Counter.builder("kontroler.task.outcomes")
          .description("Ended task attempts, by outcome and failure kind")
          .tag("outcome", outcome)
          .tag("kind", t.failureKind() == null ? "none" : t.failureKind().name())
          .register(registry)
          .increment();
    }
  }

  private static String outcome(TaskPhaseChanged t) {
    return switch (t.to()) {
      case Succeeded, Failed, Retrying, Cancelled -> t.to().name().toLowerCase(Locale.ROOT);
      case Skipped -> "skipped";
      default -> null;
    };
  }
}

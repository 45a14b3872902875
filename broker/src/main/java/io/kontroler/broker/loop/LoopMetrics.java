package io.kontroler.broker.loop;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Metrics of a component's supervised loops (api, executor): {@code
 * kontroler_loop_failures_total{loop}} counts the failures each loop recovered from (or died of),
 * and {@code kontroler_loop_healthy{loop}} is 1 while readiness finds nothing wrong with it, 0 when
 * it is stopped, failing or stalled.
 */
public final class LoopMetrics {
  private LoopMetrics() {}

  public static void register(SupervisedLoop loop, LoopHealth health, MeterRegistry registry) {
    String name = loop.name();
    FunctionCounter.builder("kontroler.loop.failures", loop, l -> l.status().failures())
        .description("Failures of a supervised loop; each one was followed by a backoff")
        .tag("loop", name)
        .register(registry);
    Gauge.builder(
            "kontroler.loop.healthy",
            health,
            h -> h.problems().stream().anyMatch(p -> p.loop().equals(name)) ? 0 : 1)
        .description("1 while the loop runs and makes progress, 0 when stopped, failing or stalled")
        .tag("loop", name)
        .register(registry);
  }
}

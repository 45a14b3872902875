package io.kontroler.cli.server;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the health endpoint a component's configuration asks for ({@code health.port}). */
final class Health {
  private static final Logger LOG = LoggerFactory.getLogger(Health.class);

  private Health() {}

  static void start(Map<String, String> flat, Lifecycle lifecycle, BooleanSupplier healthy) {
    startNaming(
        flat,
        lifecycle,
        () -> healthy.getAsBoolean() ? List.of() : List.of("the component stopped"));
  }

  /** Readiness that names each problem, e.g. a loop that died or stalls. */
  static void startNaming(
      Map<String, String> flat, Lifecycle lifecycle, Supplier<List<String>> problems) {
    int port = Integer.parseInt(flat.getOrDefault("health.port", "8081"));
    if (port < 0) {
      return;
    }
    HealthServer server = lifecycle.add(HealthServer.startNaming(port, problems));
    LOG.info("Health checks on http://0.0.0.0:{}/health", server.port());
  }
}

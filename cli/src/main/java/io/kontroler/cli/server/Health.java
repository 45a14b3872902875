package io.kontroler.cli.server;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the health endpoint a component's configuration asks for ({@code health.port}). */
final class Health {
  private static final Logger LOG = LoggerFactory.getLogger(Health.class);

  private Health() {}

  static void start(Map<String, String> flat, Lifecycle lifecycle, BooleanSupplier healthy) {
    int port = Integer.parseInt(flat.getOrDefault("health.port", "8081"));
    if (port < 0) {
      return;
    }
    HealthServer server = lifecycle.add(HealthServer.start(port, healthy));
    LOG.info("Health checks on http://0.0.0.0:{}/health", server.port());
  }
}

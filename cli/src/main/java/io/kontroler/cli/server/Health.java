package io.kontroler.cli.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the health endpoint a component's configuration asks for: {@code health.host} (127.0.0.1:
 * only this machine; 0.0.0.0 for every interface, as in a pod) and {@code health.port} (8081; 0
 * picks a free port, -1 none).
 */
final class Health {
  private static final Logger LOG = LoggerFactory.getLogger(Health.class);
  static final String HOST_KEY = "health.host";
  static final String PORT_KEY = "health.port";
  static final String DEFAULT_HOST = "127.0.0.1";

  private Health() {}

  /** The server started, none when {@code health.port} is negative. */
  static Optional<HealthServer> start(
      Map<String, String> flat, Lifecycle lifecycle, BooleanSupplier healthy) {
    return startNaming(
        flat,
        lifecycle,
        () -> healthy.getAsBoolean() ? List.of() : List.of("the component stopped"));
  }

  /** Readiness that names each problem, e.g. a loop that died or stalls. */
  static Optional<HealthServer> startNaming(
      Map<String, String> flat, Lifecycle lifecycle, Supplier<List<String>> problems) {
    int port = Integer.parseInt(flat.getOrDefault(PORT_KEY, "8081").trim());
    if (port < 0) {
      return Optional.empty();
    }
    String host = flat.getOrDefault(HOST_KEY, DEFAULT_HOST).trim();
    HealthServer server = lifecycle.add(HealthServer.startNaming(host, port, problems));
    LOG.info("Health checks on http://{}:{}/health", host, server.port());
    return Optional.of(server);
  }
}

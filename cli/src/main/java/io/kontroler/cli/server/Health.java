package io.kontroler.cli.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the health endpoint a component's configuration asks for ({@link HealthSettings}): 200
 * while it runs, 503 naming its problems otherwise.
 */
final class Health {
  private static final Logger LOG = LoggerFactory.getLogger(Health.class);

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
    return startNaming(flat, lifecycle, problems, null);
  }

  /** The same, with {@code /metrics} answering {@code metrics} (none when null). */
  static Optional<HealthServer> startNaming(
      Map<String, String> flat,
      Lifecycle lifecycle,
      Supplier<List<String>> problems,
      Supplier<String> metrics) {
    HealthSettings settings = HealthSettings.fromFlat(flat);
    if (settings.port() < 0) {
      return Optional.empty();
    }
    String host = settings.host();
    HealthServer server =
        lifecycle.add(HealthServer.startNaming(host, settings.port(), problems, metrics));
    LOG.info(
        "Health checks on http://{}:{}/health{}",
        host,
        server.port(),
        metrics == null ? "" : ", metrics on /metrics");
    return Optional.of(server);
  }
}

package io.kontroler.cli.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health} for the components without an HTTP server of their own: 200 while the
 * component runs, 503 otherwise. Kubernetes probes point here. It listens on one address only:
 * loopback unless the deployment asks for every interface (a pod, whose probes come from the
 * kubelet).
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on {@code host} (a name or address; 0.0.0.0 for every interface) and {@code port}. */
  public static HealthServer start(String host, int port, BooleanSupplier healthy) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      server.createContext(
          "/health",
          exchange -> {
            boolean ok = healthy.getAsBoolean();
            byte[] body =
                (ok ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      return new HealthServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen for health checks on " + host + ":" + port, e);
    }
  }

  /** The address it listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package io.kontroler.cli.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health} for the components without an HTTP server of their own: 200 while the
 * component runs, 503 otherwise. Kubernetes probes point here.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  public static HealthServer start(int port, BooleanSupplier healthy) {
    return startNaming(
        port, () -> healthy.getAsBoolean() ? List.of() : List.of("the component stopped"));
  }

  /** 503 naming every problem {@code problems} gives, e.g. a dead or stalled loop. */
  public static HealthServer startNaming(int port, Supplier<List<String>> problems) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
      server.createContext(
          "/health",
          exchange -> {
            List<String> found = problems.get();
            boolean ok = found.isEmpty();
            byte[] body =
                (ok
                        ? "{\"status\":\"UP\"}"
                        : "{\"status\":\"DOWN\",\"problems\":" + json(found) + "}")
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
      throw new UncheckedIOException("Cannot listen for health checks on port " + port, e);
    }
  }

  private static String json(List<String> items) {
    StringBuilder out = new StringBuilder("[");
    for (String item : items) {
      out.append(out.length() > 1 ? "," : "").append('"');
      item.chars()
          .forEach(
              c -> {
                if (c == '"' || c == '\\') {
                  out.append('\\').append((char) c);
                } else if (c < 0x20) {
                  out.append(String.format("\\u%04x", c));
                } else {
                  out.append((char) c);
                }
              });
      out.append('"');
    }
    return out.append(']').toString();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

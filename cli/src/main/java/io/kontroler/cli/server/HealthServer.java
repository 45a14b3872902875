package io.kontroler.cli.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health} for the components without an HTTP server of their own: 200 while the
 * component runs, 503 naming what is wrong otherwise. Kubernetes probes point here, and Prometheus
 * at {@code GET /metrics} when the component has metrics.
 */
public final class HealthServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on {@code host} (a name or address; 0.0.0.0 for every interface) and {@code port}. */
  public static HealthServer start(String host, int port, BooleanSupplier healthy) {
    return startNaming(
        host, port, () -> healthy.getAsBoolean() ? List.of() : List.of("the component stopped"));
  }

  /** 503 naming every problem {@code problems} gives, e.g. a dead or stalled loop. */
  public static HealthServer startNaming(String host, int port, Supplier<List<String>> problems) {
    return startNaming(host, port, problems, null);
  }

  /**
   * The same, and {@code GET /metrics} answering {@code metrics} (the Prometheus text format) when
   * it is not null.
   */
  public static HealthServer startNaming(
      String host, int port, Supplier<List<String>> problems, Supplier<String> metrics) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      server.createContext(
          "/health",
          exchange -> {
            List<String> found = problems.get();
            byte[] body = body(found);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(found.isEmpty() ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      if (metrics != null) {
        server.createContext(
            "/metrics",
            exchange -> {
              byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().set("Content-Type", PROMETHEUS_TEXT);
              exchange.sendResponseHeaders(200, body.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            });
      }
      server.start();
      return new HealthServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen for health checks on " + host + ":" + port, e);
    }
  }

  private static byte[] body(List<String> problems) throws JsonProcessingException {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", problems.isEmpty() ? "UP" : "DOWN");
    if (!problems.isEmpty()) {
      answer.put("problems", problems);
    }
    return JSON.writeValueAsBytes(answer);
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

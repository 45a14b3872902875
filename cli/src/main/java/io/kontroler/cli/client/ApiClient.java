package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** A small client of Kontroler's REST API, authenticated by a bearer token. */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public ApiClient(URI base, String token) {
    String url = base.toString();
    this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.token = token;
  }

  /**
   * An API error: its status, the server's message (every validation problem included) and the
   * request it answered ({@code GET /api/v1/runs/x}).
   */
  public static final class ApiError extends IOException {
    private final int status;
    private final String request;

    ApiError(int status, String message, String request) {
      super(message);
      this.status = status;
      this.request = request;
    }

    public int status() {
      return status;
    }

    /** The method and path of the request that failed. */
    public String request() {
      return request;
    }
  }

  /** The server could not be reached at all: nothing listens there, or the host is unknown. */
  public static final class Unreachable extends IOException {
    private final String url;

    Unreachable(String url, IOException cause) {
      super("could not connect to " + url, cause);
      this.url = url;
    }

    /** The server URL the client was pointed at. */
    public String url() {
      return url;
    }
  }

  /** A connection was made, but the TLS handshake with the server failed. */
  public static final class TlsFailure extends IOException {
    private final String url;

    TlsFailure(String url, IOException cause) {
      super("TLS handshake with " + url + " failed", cause);
      this.url = url;
    }

    /** The server URL the client was pointed at. */
    public String url() {
      return url;
    }
  }

  /** The server URL this client talks to. */
  public String url() {
    return base.toString();
  }

  public JsonNode get(String path) throws IOException {
    return send(request(path).GET(), "application/json");
  }

  public JsonNode post(String path, Object body) throws IOException {
    String json = body == null ? "{}" : JSON.writeValueAsString(body);
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)), "application/json");
  }

  public JsonNode put(String path, Object body) throws IOException {
    String json = body == null ? "{}" : JSON.writeValueAsString(body);
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json)), "application/json");
  }

  public JsonNode postText(String path, String body, String contentType) throws IOException {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)), contentType);
  }

  /** A streamed response body (logs), for copying to the terminal as it arrives. */
  public InputStream stream(String path) throws IOException {
    HttpRequest req = request(path).GET().build();
    HttpResponse<InputStream> response = exchange(req, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() >= 400) {
      String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
      throw error(req, response.statusCode(), text);
    }
    return response.body();
  }

  public static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (token != null && !token.isBlank()) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private JsonNode send(HttpRequest.Builder builder, String contentType) throws IOException {
    HttpRequest req =
        builder.header("Content-Type", contentType).header("Accept", "application/json").build();
    HttpResponse<String> response = exchange(req, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw error(req, response.statusCode(), response.body());
    }
    String body = response.body();
    return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
  }

  /** Sends {@code req}; a failure to connect or to agree on TLS says which it was. */
  private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    try {
      return http.send(req, handler);
    } catch (SSLException e) {
      throw new TlsFailure(url(), e);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      if (causedBy(e, SSLException.class)) {
        throw new TlsFailure(url(), e);
      }
      throw new Unreachable(url(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static ApiError error(HttpRequest req, int status, String body) {
    String request = req.method() + " " + req.uri().getRawPath();
    ApiError parsed = parse(status, body, request);
    return parsed != null
        ? parsed
        : new ApiError(
            status,
            "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body.strip()),
            request);
  }

  private static ApiError parse(int status, String body, String request) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node.has("errors")) {
        StringBuilder text = new StringBuilder();
        for (JsonNode e : node.get("errors")) {
          String path = e.path("path").asText("");
          text.append(path.isEmpty() ? "" : path + ": ")
              .append(e.path("message").asText())
              .append('\n');
        }
        return new ApiError(status, text.toString().strip(), request);
      }
      if (node.has("message")) {
        return new ApiError(status, node.get("message").asText(), request);
      }
    } catch (IOException ignored) {
      // not JSON: the body itself says what went wrong
    }
    return null;
  }
}

package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

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

  /** An API error: its status and the server's message (every validation problem included). */
  public static final class ApiError extends IOException {
    private final int status;

    ApiError(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  public JsonNode get(String path) throws IOException {
    return send(request(path).GET(), "application/json");
  }

  public JsonNode post(String path, Object body) throws IOException {
    String json = body == null ? "{}" : JSON.writeValueAsString(body);
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)), "application/json");
  }

  public JsonNode postText(String path, String body, String contentType) throws IOException {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)), contentType);
  }

  /** A streamed response body (logs), for copying to the terminal as it arrives. */
  public InputStream stream(String path) throws IOException {
    HttpRequest req = request(path).GET().build();
    try {
      HttpResponse<InputStream> response =
          http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() >= 400) {
        String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        throw error(response.statusCode(), text);
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
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
    try {
      HttpResponse<String> response = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 400) {
        throw error(response.statusCode(), response.body());
      }
      String body = response.body();
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static ApiError error(int status, String body) {
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
        return new ApiError(status, text.toString().strip());
      }
      if (node.has("message")) {
        return new ApiError(status, node.get("message").asText());
      }
    } catch (IOException ignored) {
      // not JSON: the body itself says what went wrong
    }
    return new ApiError(status, "HTTP " + status + (body == null ? "" : ": " + body));
  }
}

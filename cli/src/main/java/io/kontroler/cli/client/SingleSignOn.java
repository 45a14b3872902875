package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The command line's single sign-on, the loopback flow of native apps (RFC 8252, as kubelogin and
 * gcloud do it): listen on {@code 127.0.0.1} at a free port, have the user's browser open the
 * server's sign-in address, which runs the identity provider's sign-in and sends the browser back
 * to the loopback address with a one-time code and this login's state; the code is redeemed with
 * this login's PKCE verifier for a session token.
 */
final class SingleSignOn {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PATH = "/callback";

  /** The token the server issued, and whose it is. */
  record Signed(String token, String username, String role) {}

  private final URI server;
  private final Duration timeout;

  SingleSignOn(URI server, Duration timeout) {
    this.server = server;
    this.timeout = timeout;
  }

  /**
   * Signs in: the address to open is printed on {@code out} and handed to {@code browser}; returns
   * once the browser came back, or fails with {@link SignInRefused}.
   */
  Signed signIn(PrintWriter out, Consumer<URI> browser) throws IOException {
    ApiClient anonymous = new ApiClient(server, null);
    JsonNode session = anonymous.get("/api/v1/auth/session");
    if (!session.hasNonNull("sso")) {
      throw new SignInRefused(
          "single sign-on is not configured on "
              + server
              + " (api.oidc.issuer); log in with a user name and password instead");
    }
    String state = random();
    String verifier = random();
    CompletableFuture<Map<String, String>> answer = new CompletableFuture<>();
    HttpServer loopback =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    loopback.createContext(PATH, exchange -> answer(exchange, answer));
    loopback.start();
    try {
      URI redirect = URI.create("http://127.0.0.1:" + loopback.getAddress().getPort() + PATH);
      URI start =
          URI.create(
              server
                  + "/api/v1/auth/oidc/cli?redirect_uri="
                  + encode(redirect.toString())
                  + "&state="
                  + state
                  + "&code_challenge="
                  + challenge(verifier)
                  + "&code_challenge_method=S256");
      out.println("Sign in with " + session.path("sso").asText() + " in your browser:");
      out.println("  " + start);
      out.flush();
      browser.accept(start);
      Map<String, String> query = await(answer);
      if (!state.equals(query.get("state"))) {
        throw new SignInRefused(
            "the answer on the loopback address did not carry this login's state; try again");
      }
      if (query.containsKey("error")) {
        throw new SignInRefused(reason(query.get("error")));
      }
      JsonNode issued =
          anonymous.post(
              "/api/v1/auth/oidc/cli/token",
              Map.of("code", query.getOrDefault("code", ""), "verifier", verifier));
      String token = issued.path("token").asText();
      JsonNode me = new ApiClient(server, token).get("/api/v1/auth/me");
      return new Signed(token, me.path("username").asText(), me.path("role").asText());
    } finally {
      loopback.stop(1); // the page being sent, at most 1 s
    }
  }

  private Map<String, String> await(CompletableFuture<Map<String, String>> answer)
      throws IOException {
    try {
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new SignInRefused(
          "no sign-in came back within "
              + timeout.toSeconds()
              + "s; open the address printed above in a browser on this machine");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SignInRefused("interrupted while waiting for the browser");
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    }
  }

  /**
   * The browser's visit to the loopback address: a page to close shown, then its query kept (the
   * page is sent first: the command stops listening once it has the query).
   */
  private static void answer(HttpExchange exchange, CompletableFuture<Map<String, String>> to)
      throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    boolean first = !to.isDone() && query.containsKey("state");
    String text =
        !first
            ? "Nothing to do here."
            : query.containsKey("error")
                ? "Single sign-on failed: " + reason(query.get("error")) + "."
                : "Signed in to Kontroler. You can close this tab and go back to the terminal.";
    // no icon to ask for: the address stops answering once the command has its code
    byte[] body =
        ("<!doctype html><meta charset=utf-8><link rel=icon href=\"data:,\">"
                + "<title>Kontroler</title><p>"
                + text.replace("&", "&amp;").replace("<", "&lt;")
                + "</p>")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(first ? 200 : 400, body.length);
    try (OutputStream o = exchange.getResponseBody()) {
      o.write(body);
    }
    if (first) {
      to.complete(query);
    }
  }

  /** What the server's reason code means, in the words the UI's login page uses. */
  static String reason(String code) {
    return switch (code == null ? "" : code) {
      case "state" ->
          "the sign-in could not be matched to the browser that started it (it took too long,"
              + " or the browser lost its cookie); try again";
      case "provider" ->
          "the identity provider did not complete the sign-in; try again, or log in with a local"
              + " account (kontroler login -u NAME)";
      case "token" -> "the identity provider's ID token was not valid; the server's log says why";
      case "denied" ->
          "you signed in, but none of your groups is allowed into Kontroler; ask an administrator"
              + " for access";
      case "taken" -> "a local account already has your user name; it is not taken over";
      case "username" -> "the identity provider named no usable user name";
      case "unavailable" ->
          "the server could not reach its identity provider; try again later, or log in with a"
              + " local account (kontroler login -u NAME)";
      default -> "the server answered '" + code + "'";
    };
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.putIfAbsent(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return query;
  }

  /** 32 random bytes, base64url: 43 characters, fit for a state and a PKCE verifier. */
  private static String random() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private static String challenge(String verifier) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Expected SHA-256 in every Java runtime", e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

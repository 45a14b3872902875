package io.kontroler.api.auth;

import io.javalin.http.Context;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Bodies;
import io.kontroler.api.http.Route;
import io.kontroler.core.validate.Problem;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Single sign-on for the command line, the OAuth 2.0 loopback flow of native apps (RFC 8252): the
 * command line listens on {@code http://127.0.0.1:<port>/…} and opens {@code
 * /api/v1/auth/oidc/cli?redirect_uri=…&state=…&code_challenge=…} in a browser; the api runs its own
 * sign-in with the provider (authorization code with PKCE, {@link OidcSignIn}) and, instead of
 * opening a browser session, sends the browser to the loopback address with a one-time code and the
 * command line's state (or an {@code error} reason). The command line redeems the code with its
 * PKCE verifier for a session token, as {@code /api/v1/auth/login} gives one.
 *
 * <p>Only {@code http://127.0.0.1} with a port is accepted as the loopback address: no other host
 * can receive a code. A code lives {@link LoopbackCodes#TTL} and is spent by its first use.
 */
public final class LoopbackSignIn {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(LoopbackSignIn.class);
  static final String START = "/api/v1/auth/oidc/cli";
  private static final Pattern STATE = Pattern.compile("[A-Za-z0-9._~-]{16,128}");
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

  /** What the command line keeps the api to: where to send the result, with what state. */
  record Loopback(String redirectUri, String state, String challenge) {}

  record Exchange(String code, String verifier) {}

  record Issued(String token, Instant expiresAt, String username) {}

  private final OidcSignIn signIn;
  private final LoopbackCodes codes;
  private final Accounts accounts;
  private final Bodies bodies;
  private final Duration ttl;

  LoopbackSignIn(
      OidcSignIn signIn, LoopbackCodes codes, Accounts accounts, Bodies bodies, Duration ttl) {
    this.signIn = signIn;
    this.codes = codes;
    this.accounts = accounts;
    this.bodies = bodies;
    this.ttl = ttl;
  }

  List<Route> routes() {
    return List.of(
        Route.get(
            START,
            null,
            "Begin the command line's single sign-on: redirects to the provider; the result goes"
                + " to redirect_uri, an http://127.0.0.1:<port> address",
            this::start),
        Route.post(
            START + "/token",
            null,
            "Redeem the one-time code of the command line's sign-in, with its PKCE verifier, for a"
                + " session token",
            this::token));
  }

  private void start(Context ctx) {
    Loopback loopback =
        new Loopback(
            loopbackUri(ctx.queryParam("redirect_uri")).toString(),
            matching("state", ctx.queryParam("state"), STATE),
            matching("code_challenge", ctx.queryParam("code_challenge"), CHALLENGE));
    if (!"S256".equals(ctx.queryParam("code_challenge_method"))) {
      throw ApiException.badRequest(List.of(new Problem("code_challenge_method", "expected S256")));
    }
    String next;
    try {
      next = signIn.begin(ctx, null, loopback).toString();
    } catch (OidcProvider.Unavailable e) {
      LOG.warn("Command-line single sign-on not started: {}", e.getMessage());
      next = failure(loopback, "unavailable");
    }
    ctx.redirect(next);
  }

  private void token(Context ctx) {
    Exchange body = bodies.json(ctx, Exchange.class);
    String username =
        codes
            .redeem(body.code(), body.verifier())
            .orElseThrow(
                () ->
                    new ApiException(
                        401,
                        "the sign-in code is unknown, expired, used already, or not of this"
                            + " verifier; sign in again"));
    Accounts.Issued issued = accounts.issue(username, "single sign-on (command line)", ttl);
    ctx.json(new Issued(issued.token(), issued.expiresAt(), username));
  }

  /** Where the browser goes once the provider vouched for {@code username}. */
  String success(Loopback loopback, String username) {
    String code = codes.issue(username, loopback.challenge());
    return loopback.redirectUri() + "?code=" + code + "&state=" + encode(loopback.state());
  }

  /** Where the browser goes when the sign-in failed for {@code reason}. */
  static String failure(Loopback loopback, String reason) {
    return loopback.redirectUri()
        + "?error="
        + encode(reason)
        + "&state="
        + encode(loopback.state());
  }

  /**
   * {@code value} as a loopback address of this machine: {@code http://127.0.0.1:<port>/<path>},
   * nothing else (no other host, no user, query or fragment).
   */
  static URI loopbackUri(String value) {
    URI uri;
    try {
      uri = value == null ? null : new URI(value);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || !"http".equals(uri.getScheme())
        || !"127.0.0.1".equals(uri.getHost())
        || uri.getPort() < 1
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw ApiException.badRequest(
          List.of(
              new Problem(
                  "redirect_uri",
                  "expected a loopback address http://127.0.0.1:<port>/<path>, but got " + value)));
    }
    return uri;
  }

  /** A loopback recorded earlier (in the browser's cookie), checked again before it is used. */
  static boolean stillLoopback(Loopback loopback) {
    try {
      loopbackUri(loopback.redirectUri());
      return loopback.state() != null
          && STATE.matcher(loopback.state()).matches()
          && loopback.challenge() != null
          && CHALLENGE.matcher(loopback.challenge()).matches();
    } catch (ApiException e) {
      return false;
    }
  }

  private static String matching(String name, String value, Pattern pattern) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw ApiException.badRequest(
          List.of(new Problem(name, "expected to match " + pattern.pattern())));
    }
    return value;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

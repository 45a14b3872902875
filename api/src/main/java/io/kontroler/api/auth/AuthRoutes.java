package io.kontroler.api.auth;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Bodies;
import io.kontroler.api.http.BrowserGuard;
import io.kontroler.api.http.Route;
import io.kontroler.core.validate.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Login, logout, the current user, and personal API tokens. Logins are throttled by {@link
 * LoginThrottle} per user and per address; a session lasts {@code api.token.ttl}, a personal token
 * at most {@code api.token.max.ttl}. The session cookie is {@code HttpOnly}, {@code
 * SameSite=Strict}, and {@code Secure} when the request came over TLS or the configuration says so.
 */
public final class AuthRoutes {
  record Login(String username, String password) {}

  record LoginAnswer(String token, Instant expiresAt, String username, Role role) {}

  record NewToken(String name, Long ttlSeconds) {}

  /**
   * Whether a session exists, answered 200 either way so that a page load before login logs no
   * failed request; and the single sign-on provider's button name, if one is configured.
   */
  record SessionAnswer(boolean authenticated, String username, Role role, String sso) {}

  private final Accounts accounts;
  private final LoginThrottle throttle;
  private final Bodies bodies;
  private final Duration ttl;
  private final Duration maxTtl;
  private final boolean secureCookie;
  private Authenticator authenticator;
  private String ssoName;

  /**
   * @param ttl lifetime of a session, and of a token minted without one
   * @param maxTtl longest lifetime of a minted token
   * @param secure mark the cookie Secure even over plain HTTP (behind a TLS proxy)
   */
  public AuthRoutes(
      Accounts accounts,
      LoginThrottle throttle,
      Bodies bodies,
      Duration ttl,
      Duration maxTtl,
      boolean secure) {
    this.accounts = accounts;
    this.throttle = throttle;
    this.bodies = bodies;
    this.ttl = ttl;
    this.maxTtl = maxTtl;
    this.secureCookie = secure;
    this.authenticator = accounts::authenticate;
  }

  /**
   * The same routes, telling the UI about single sign-on through {@code ssoName} and recognising
   * the tokens of {@code authenticator} (local and the provider's) in the session answer.
   */
  public AuthRoutes withSingleSignOn(Authenticator authenticator, String ssoName) {
    this.authenticator = authenticator;
    this.ssoName = ssoName;
    return this;
  }

  public List<Route> routes() {
    return List.of(
        Route.post("/api/v1/auth/login", null, "Log in: a token and a session cookie", this::login),
        Route.post("/api/v1/auth/logout", Role.viewer, "Revoke the token in use", this::logout),
        Route.get("/api/v1/auth/me", Role.viewer, "The current user", this::me),
        Route.get(
            "/api/v1/auth/session",
            null,
            "Whether the request carries a valid session (200 either way), and the single"
                + " sign-on provider's name when one is configured",
            this::session),
        Route.get("/api/v1/auth/tokens", Role.viewer, "My API tokens", this::tokens),
        Route.post("/api/v1/auth/tokens", Role.viewer, "Create an API token", this::newToken),
        Route.delete(
            "/api/v1/auth/tokens/{id}", Role.viewer, "Revoke one of my tokens", this::revoke));
  }

  private void login(Context ctx) {
    Login body = bodies.json(ctx, Login.class);
    if (body.username() == null || body.password() == null) {
      throw ApiException.badRequest(
          List.of(new Problem("", "expected {username, password}, both strings")));
    }
    String[] keys = {"user:" + body.username(), "ip:" + ctx.ip()};
    LoginThrottle.Admission admission = throttle.admit(keys);
    if (!admission.admitted()) {
      long seconds = Math.max(1, (admission.retryAfter().toMillis() + 999) / 1000);
      ctx.header("Retry-After", String.valueOf(seconds));
      throw new ApiException(
          429, "too many failed logins for this user or address; try again in " + seconds + "s");
    }
    Role role;
    try (LoginThrottle.Attempt attempt = admission.attempt()) {
      role = accounts.check(body.username(), body.password()).orElse(null);
      if (role == null) {
        attempt.failed();
        throw new ApiException(401, "invalid username or password");
      }
      attempt.succeeded();
    }
    Accounts.Issued issued = accounts.issue(body.username(), "login", ttl);
    ctx.cookie(sessionCookie(issued.token(), ttl, secureCookie || BrowserGuard.overTls(ctx)));
    ctx.json(new LoginAnswer(issued.token(), issued.expiresAt(), body.username(), role));
  }

  private void logout(Context ctx) {
    Principal p = AccessGuard.principal(ctx);
    accounts.revoke(p.username(), p.tokenId());
    Cookie cookie = new Cookie(AccessGuard.COOKIE, "");
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.STRICT);
    cookie.setPath("/");
    cookie.setMaxAge(0);
    cookie.setSecure(secureCookie || BrowserGuard.overTls(ctx));
    ctx.cookie(cookie);
    ctx.status(204);
  }

  /** The session cookie of a new session: HttpOnly, SameSite=Strict, the whole site. */
  static Cookie sessionCookie(String token, Duration ttl, boolean secure) {
    Cookie cookie = new Cookie(AccessGuard.COOKIE, token);
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.STRICT);
    cookie.setPath("/");
    cookie.setMaxAge((int) ttl.toSeconds());
    cookie.setSecure(secure);
    return cookie;
  }

  private void session(Context ctx) {
    Principal p;
    try {
      p = authenticator.authenticate(AccessGuard.token(ctx)).orElse(null);
    } catch (ApiException e) {
      p = null; // a bearer without a role, or one that can not be checked now: no session
    }
    ctx.json(
        p == null
            ? new SessionAnswer(false, null, null, ssoName)
            : new SessionAnswer(true, p.username(), p.role(), ssoName));
  }

  private void me(Context ctx) {
    Principal p = AccessGuard.principal(ctx);
    ctx.json(Map.of("username", p.username(), "role", p.role()));
  }

  private void tokens(Context ctx) {
    ctx.json(Map.of("items", accounts.tokens(AccessGuard.principal(ctx).username())));
  }

  private void newToken(Context ctx) {
    NewToken body = bodies.json(ctx, NewToken.class);
    if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
      throw ApiException.badRequest(List.of(new Problem("name", "expected 1 to 200 characters")));
    }
    Duration life = body.ttlSeconds() == null ? ttl : Duration.ofSeconds(body.ttlSeconds());
    if (life.isNegative() || life.isZero() || life.compareTo(maxTtl) > 0) {
      throw ApiException.badRequest(
          List.of(
              new Problem(
                  "ttlSeconds",
                  "expected 1 to "
                      + maxTtl.toSeconds()
                      + " (api.token.max.ttl), but got "
                      + life.toSeconds())));
    }
    Accounts.Issued issued =
        accounts.issue(AccessGuard.principal(ctx).username(), body.name(), life);
    ctx.status(201).json(issued);
  }

  private void revoke(Context ctx) {
    if (!accounts.revoke(AccessGuard.principal(ctx).username(), ctx.pathParam("id"))) {
      throw ApiException.notFound("no active token '" + ctx.pathParam("id") + "' of yours");
    }
    ctx.status(204);
  }
}

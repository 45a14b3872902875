package io.kontroler.api.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Bodies;
import io.kontroler.api.http.BrowserGuard;
import io.kontroler.api.http.Json;
import io.kontroler.api.http.Route;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in through the OpenID Connect provider, the authorization code flow with PKCE. {@code start}
 * makes a state, a nonce and a code verifier, keeps them in a short-lived HttpOnly cookie of the
 * callback path, and answers the provider's authorization URL; the provider sends the browser back
 * to {@code callback}, which checks the state against the cookie, redeems the code with the
 * verifier, validates the ID token (signature, issuer, audience, expiry, nonce), maps its claims to
 * a role, creates or updates the user, and opens a session as a password login does. Failures go
 * back to the login page with a reason code; the details are logged.
 */
public final class OidcSignIn {
  private static final Logger LOG = LoggerFactory.getLogger(OidcSignIn.class);
  static final String CALLBACK = "/api/v1/auth/oidc/callback";
  static final String PENDING_COOKIE = "kontroler_oidc";
  private static final Duration PENDING_TTL = Duration.ofMinutes(10);
  private static final int TIMEOUT_MILLIS = 5000;

  record Start(String next) {}

  record StartAnswer(String authorizationUrl) {}

  /**
   * What the browser keeps between start and callback; {@code loopback}: the sign-in is the command
   * line's, its result goes there ({@link LoopbackSignIn}).
   */
  record Pending(
      String state,
      String nonce,
      String verifier,
      String redirectUri,
      String next,
      LoopbackSignIn.Loopback loopback) {}

  /** Why a sign-in failed, as the login page names it. */
  enum Failure {
    state,
    provider,
    token,
    denied,
    taken,
    username
  }

  private static final class Failed extends Exception {
    final Failure reason;

    Failed(Failure reason, String detail) {
      super(detail);
      this.reason = reason;
    }
  }

  private final OidcProvider provider;
  private final Accounts accounts;
  private final Bodies bodies;
  private final Duration ttl;
  private final boolean secureCookie;
  private final LoopbackSignIn loopback;

  public OidcSignIn(
      OidcProvider provider, Accounts accounts, Bodies bodies, Duration ttl, boolean secure) {
    this.provider = provider;
    this.accounts = accounts;
    this.bodies = bodies;
    this.ttl = ttl;
    this.secureCookie = secure;
    this.loopback = new LoopbackSignIn(this, new LoopbackCodes(accounts), accounts, bodies, ttl);
  }

  public List<Route> routes() {
    return java.util.stream.Stream.concat(browserRoutes().stream(), loopback.routes().stream())
        .toList();
  }

  private List<Route> browserRoutes() {
    return List.of(
        Route.post(
            "/api/v1/auth/oidc/start",
            null,
            "Begin single sign-on: the provider's authorization URL to send the browser to",
            this::start),
        Route.get(
            CALLBACK,
            null,
            "Where the provider sends the browser back; opens a session",
            this::callback));
  }

  private void start(Context ctx) {
    byte[] raw = bodies.bytes(ctx);
    Start body = raw.length == 0 ? new Start(null) : Json.read(raw, Start.class);
    try {
      ctx.json(new StartAnswer(begin(ctx, body.next(), null).toString()));
    } catch (OidcProvider.Unavailable e) {
      throw new ApiException(
          503, "single sign-on is unavailable: " + e.getMessage() + "; local accounts still work");
    }
  }

  /**
   * Starts a sign-in in this browser: the pending cookie set, the provider's authorization URL
   * answered.
   *
   * @param next where the UI goes afterwards
   * @param to the command line's loopback, when the sign-in is the command line's; else null
   */
  URI begin(Context ctx, String next, LoopbackSignIn.Loopback to) throws OidcProvider.Unavailable {
    OidcProvider.Discovered d = provider.discovered();
    OidcConfig c = provider.config();
    State state = new State();
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    URI redirect = c.redirectUri() != null ? c.redirectUri() : redirectFrom(ctx);
    URI authorization =
        new AuthenticationRequest.Builder(
                new ResponseType(ResponseType.Value.CODE),
                new Scope(c.scopes().toArray(String[]::new)),
                new ClientID(c.clientId()),
                redirect)
            .endpointURI(d.metadata().getAuthorizationEndpointURI())
            .state(state)
            .nonce(nonce)
            .codeChallenge(verifier, CodeChallengeMethod.S256)
            .build()
            .toURI();
    Pending pending =
        new Pending(
            state.getValue(), nonce.getValue(), verifier.getValue(), redirect.toString(), next, to);
    ctx.cookie(pendingCookie(ctx, encode(pending), (int) PENDING_TTL.toSeconds()));
    return authorization;
  }

  private void callback(Context ctx) {
    ctx.cookie(pendingCookie(ctx, "", 0));
    Pending pending = decode(ctx.cookie(PENDING_COOKIE));
    LoopbackSignIn.Loopback to =
        pending != null
                && pending.loopback() != null
                && LoopbackSignIn.stillLoopback(pending.loopback())
            ? pending.loopback()
            : null;
    try {
      String username = signIn(ctx, pending);
      if (to != null) {
        ctx.redirect(loopback.success(to, username));
        return;
      }
      Accounts.Issued issued = accounts.issue(username, "single sign-on", ttl);
      ctx.cookie(AuthRoutes.sessionCookie(issued.token(), ttl, secure(ctx)));
      ctx.redirect(safeNext(pending == null ? null : pending.next()));
    } catch (Failed e) {
      LOG.warn("Single sign-on refused ({}): {}", e.reason, e.getMessage());
      ctx.redirect(
          to != null
              ? LoopbackSignIn.failure(to, e.reason.name())
              : "/login?sso-error=" + e.reason.name());
    }
  }

  /** The user the provider vouches for, created or updated with the role their claims map to. */
  private String signIn(Context ctx, Pending pending) throws Failed {
    if (ctx.queryParam("error") != null) {
      throw new Failed(
          Failure.provider,
          "the provider answered "
              + ctx.queryParam("error")
              + ": "
              + ctx.queryParam("error_description"));
    }
    String state = ctx.queryParam("state");
    String code = ctx.queryParam("code");
    if (pending == null || state == null || code == null || !equal(state, pending.state())) {
      throw new Failed(
          Failure.state,
          pending == null
              ? "no sign-in was started in this browser, or it took longer than " + PENDING_TTL
              : "expected the state this browser was given, but got another");
    }
    Map<String, Object> claims = idTokenClaims(code, pending);
    OidcConfig c = provider.config();
    OidcUsers.Claimed user =
        OidcUsers.of(claims, c)
            .orElseThrow(
                () ->
                    new Failed(
                        Failure.username,
                        "no valid username in " + c.usernameClaim() + ", email or sub"));
    Role role =
        user.role()
            .orElseThrow(
                () ->
                    new Failed(
                        Failure.denied,
                        "user '"
                            + user.username()
                            + "' has none of the listed values in claim "
                            + c.roles().claim()
                            + " (has "
                            + user.roleValues()
                            + ")"));
    Accounts.External outcome =
        accounts.signInExternal(user.username(), c.issuer() + "#" + user.subject(), role);
    if (outcome == Accounts.External.TAKEN) {
      throw new Failed(
          Failure.taken,
          "user '"
              + user.username()
              + "' is a local account or belongs to another subject; not taken over");
    }
    LOG.info("Single sign-on of '{}' as {} ({})", user.username(), role, outcome);
    return user.username();
  }

  private Map<String, Object> idTokenClaims(String code, Pending pending) throws Failed {
    try {
      OidcProvider.Discovered d = provider.discovered();
      OidcConfig c = provider.config();
      AuthorizationCodeGrant grant =
          new AuthorizationCodeGrant(
              new AuthorizationCode(code),
              URI.create(pending.redirectUri()),
              new CodeVerifier(pending.verifier()));
      URI endpoint = d.metadata().getTokenEndpointURI();
      ClientID client = new ClientID(c.clientId());
      TokenRequest request =
          c.clientSecret() == null
              ? new TokenRequest(endpoint, client, grant)
              : new TokenRequest(
                  endpoint, new ClientSecretBasic(client, new Secret(c.clientSecret())), grant);
      HTTPRequest http = request.toHTTPRequest();
      http.setConnectTimeout(TIMEOUT_MILLIS);
      http.setReadTimeout(TIMEOUT_MILLIS);
      TokenResponse response = OIDCTokenResponseParser.parse(http.send());
      if (!response.indicatesSuccess()) {
        throw new Failed(
            Failure.provider,
            "the token endpoint refused the code: "
                + response.toErrorResponse().getErrorObject().toJSONObject());
      }
      var idToken = ((OIDCTokenResponse) response).getOIDCTokens().getIDToken();
      return provider
          .idTokenValidator()
          .validate(idToken, new Nonce(pending.nonce()))
          .toJWTClaimsSet()
          .getClaims();
    } catch (OidcProvider.Unavailable e) {
      throw new Failed(Failure.provider, e.getMessage());
    } catch (Failed e) {
      throw e;
    } catch (com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
      throw new Failed(Failure.token, "the ID token is not valid: " + e.getMessage());
    } catch (Exception e) {
      throw new Failed(Failure.provider, "redeeming the code failed: " + e);
    }
  }

  private boolean secure(Context ctx) {
    return secureCookie || BrowserGuard.overTls(ctx);
  }

  /**
   * The pending sign-in cookie: Lax, not Strict, because the provider's redirect back is a
   * navigation from another site, and it must come along on that one.
   */
  private Cookie pendingCookie(Context ctx, String value, int maxAge) {
    Cookie cookie = new Cookie(PENDING_COOKIE, value);
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.LAX);
    cookie.setPath(CALLBACK);
    cookie.setMaxAge(maxAge);
    cookie.setSecure(secure(ctx));
    return cookie;
  }

  static URI redirectFrom(Context ctx) {
    String scheme = BrowserGuard.overTls(ctx) ? "https" : "http";
    String host = ctx.header("Host");
    if (host == null || !host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
      throw new ApiException(
          400, "expected a Host header to build the callback URL (or set api.oidc.redirect-uri)");
    }
    return URI.create(scheme + "://" + host + CALLBACK);
  }

  /** A path of this app to return to; never another site. */
  static String safeNext(String next) {
    return next != null
            && next.startsWith("/")
            && !next.startsWith("//")
            && !next.startsWith("/\\")
            && !next.startsWith("/login")
        ? next
        : "/";
  }

  private static String encode(Pending p) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(Json.MAPPER.writeValueAsBytes(p));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected a pending sign-in to serialise", e);
    }
  }

  private static Pending decode(String cookie) {
    if (cookie == null || cookie.isEmpty()) {
      return null;
    }
    try {
      return Json.MAPPER.readValue(Base64.getUrlDecoder().decode(cookie), Pending.class);
    } catch (Exception e) {
      return null;
    }
  }

  private static boolean equal(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}

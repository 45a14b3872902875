package io.kontroler.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real OpenID Connect provider for tests, on Nimbus and the JDK's HTTP server at 127.0.0.1:
 * discovery, its RSA key set, an authorization endpoint with a login page (a username, no
 * password), and a token endpoint that checks the client secret and the PKCE verifier and signs ID
 * and access tokens. Users and their groups are given up front. It can be stopped and started again
 * on the same port, to play a provider that is down.
 */
public final class TestOidcProvider implements AutoCloseable {
  public static final String CLIENT_ID = "kontroler";
  public static final String CLIENT_SECRET = "client-secret-for-tests";

  /** A code handed out by the login page, redeemable once. */
  private record Grant(
      String username, String redirectUri, String nonce, CodeChallenge challenge, String scope) {}

  private final RSAKey key;
  private final Map<String, List<String>> groups;
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final int port;
  private HttpServer server;
  private ExecutorService threads;

  /** Starts a provider whose users are the keys of {@code groups}, each with those groups. */
  public TestOidcProvider(Map<String, List<String>> groups) {
    try {
      this.key = new RSAKeyGenerator(2048).keyID("test-key").generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    this.groups = new ConcurrentHashMap<>(groups);
    this.port = bind(0);
  }

  public String issuer() {
    return "http://127.0.0.1:" + port;
  }

  /** The api keys that sign in through this provider, groups mapped as their names say. */
  public Map<String, String> apiKeys() {
    return Map.of(
        "api.oidc.issuer", issuer(),
        "api.oidc.client-id", CLIENT_ID,
        "api.oidc.client-secret", CLIENT_SECRET,
        "api.oidc.display-name", "Test IdP",
        "api.oidc.roles.claim", "groups",
        "api.oidc.roles.admin-values", "kontroler-admins",
        "api.oidc.roles.editor-values", "kontroler-editors,developers",
        "api.oidc.roles.viewer-values", "kontroler-viewers");
  }

  /** Gives {@code username} other groups from the next token on (a user may be new). */
  public void setGroups(String username, List<String> newGroups) {
    groups.put(username, List.copyOf(newGroups));
  }

  /** Takes the provider down: nothing listens on its port until {@link #restart()}. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      threads.shutdownNow();
      server = null;
    }
  }

  /** Listens again on the same port. */
  public synchronized void restart() {
    if (server == null) {
      bind(port);
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** A signed token of {@code username} with the claims the token endpoint gives. */
  public String token(String username, Instant expires) {
    return sign(claims(username, null, expires).build());
  }

  /** A token signed with the provider's key but with {@code claims} as they are. */
  public String sign(JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The claims of a token of {@code username}: issuer, audience, subject, groups, expiry. */
  public JWTClaimsSet.Builder claims(String username, String nonce, Instant expires) {
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .audience(CLIENT_ID)
            .subject("sub-" + username)
            .claim("preferred_username", username)
            .claim("groups", groups.getOrDefault(username, List.of()))
            .issueTime(Date.from(expires.minus(Duration.ofHours(1))))
            .expirationTime(Date.from(expires));
    return nonce == null ? b : b.claim("nonce", nonce);
  }

  private int bind(int wanted) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", wanted), 0);
    } catch (IOException e) {
      throw new IllegalStateException("Expected to listen on 127.0.0.1:" + wanted, e);
    }
    threads = Executors.newCachedThreadPool();
    server.setExecutor(threads);
    server.createContext("/.well-known/openid-configuration", this::discovery);
    server.createContext("/jwks", x -> answer(x, 200, "application/json", jwks()));
    server.createContext("/authorize", this::authorize);
    server.createContext("/token", this::token);
    server.start();
    return server.getAddress().getPort();
  }

  private void discovery(HttpExchange x) throws IOException {
    OIDCProviderMetadata m =
        new OIDCProviderMetadata(
            new Issuer(issuer()), List.of(SubjectType.PUBLIC), URI.create(issuer() + "/jwks"));
    m.setAuthorizationEndpointURI(URI.create(issuer() + "/authorize"));
    m.setTokenEndpointURI(URI.create(issuer() + "/token"));
    m.setIDTokenJWSAlgs(List.of(JWSAlgorithm.RS256));
    m.setResponseTypes(List.of(new ResponseType(ResponseType.Value.CODE)));
    m.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
    answer(x, 200, "application/json", m.toJSONObject().toJSONString());
  }

  private String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** GET: the login page; POST: the user signs in and goes back to the client with a code. */
  private void authorize(HttpExchange x) throws IOException {
    try {
      if (x.getRequestMethod().equals("GET")) {
        String query = x.getRequestURI().getRawQuery();
        AuthenticationRequest request = AuthenticationRequest.parse(x.getRequestURI());
        if (!request.getClientID().getValue().equals(CLIENT_ID)
            || request.getCodeChallenge() == null
            || request.getCodeChallengeMethod() != CodeChallengeMethod.S256) {
          answer(x, 400, "text/plain", "unknown client or no S256 code challenge");
          return;
        }
        answer(x, 200, "text/html; charset=utf-8", loginPage(query));
        return;
      }
      Map<String, String> form = form(x);
      AuthenticationRequest request =
          AuthenticationRequest.parse(URI.create("/authorize?" + form.get("request")));
      String username = form.get("username");
      if (!groups.containsKey(username)) {
        answer(x, 200, "text/html; charset=utf-8", "<p id=provider-error>unknown user</p>");
        return;
      }
      String code = UUID.randomUUID().toString();
      codes.put(
          code,
          new Grant(
              username,
              request.getRedirectionURI().toString(),
              request.getNonce().getValue(),
              request.getCodeChallenge(),
              request.getScope().toString()));
      String back =
          request.getRedirectionURI() + "?code=" + code + "&state=" + request.getState().getValue();
      x.getResponseHeaders().add("Location", back);
      x.sendResponseHeaders(302, -1);
      x.close();
    } catch (com.nimbusds.oauth2.sdk.ParseException e) {
      answer(x, 400, "text/plain", "bad authentication request: " + e.getMessage());
    }
  }

  private static String loginPage(String query) {
    return "<!doctype html><html><head><title>Test IdP</title><link rel=icon href=\"data:,\"></head><body>"
        + "<h1>Test IdP</h1><form method=post action=/authorize>"
        + "<input type=hidden name=request value=\""
        + query.replace("&", "&amp;").replace("\"", "&quot;")
        + "\"><label for=provider-username>User</label>"
        + "<input id=provider-username name=username>"
        + "<button id=provider-login type=submit>Sign in</button></form></body></html>";
  }

  private void token(HttpExchange x) throws IOException {
    Map<String, String> form = form(x);
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    if (!basic.equals(x.getRequestHeaders().getFirst("Authorization"))) {
      answer(x, 401, "application/json", "{\"error\":\"invalid_client\"}");
      return;
    }
    Grant grant = codes.remove(form.getOrDefault("code", ""));
    if (grant == null
        || !"authorization_code".equals(form.get("grant_type"))
        || !grant.redirectUri().equals(form.get("redirect_uri"))
        || form.get("code_verifier") == null
        || !CodeChallenge.compute(
                CodeChallengeMethod.S256, new CodeVerifier(form.get("code_verifier")))
            .equals(grant.challenge())) {
      answer(x, 400, "application/json", "{\"error\":\"invalid_grant\"}");
      return;
    }
    Instant expires = Instant.now().plus(Duration.ofHours(1));
    String idToken = sign(claims(grant.username(), grant.nonce(), expires).build());
    String accessToken = token(grant.username(), expires);
    answer(
        x,
        200,
        "application/json",
        "{\"access_token\":\""
            + accessToken
            + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"id_token\":\""
            + idToken
            + "\"}");
  }

  private static Map<String, String> form(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      out.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  private static void answer(HttpExchange x, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", type);
    x.getResponseHeaders().add("Cache-Control", "no-store");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }
}

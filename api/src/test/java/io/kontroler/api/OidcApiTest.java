package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.kontroler.api.auth.TestOidcProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Single sign-on against a real OpenID Connect provider ({@link TestOidcProvider}) over HTTP: the
 * code flow with PKCE as a browser walks it, role mapping from the groups claim, bearer JWTs for
 * machine clients, and a provider that is down.
 */
@ParameterizedClass
@EnumSource(Db.class)
class OidcApiTest extends ApiTestBase {
  private final TestOidcProvider provider =
      new TestOidcProvider(
          Map.of(
              "ada", List.of("kontroler-admins", "developers"),
              "erin", List.of("developers"),
              "vic", List.of("kontroler-viewers"),
              "nobody", List.of("marketing"),
              "admin", List.of("kontroler-admins")));

  OidcApiTest(Db db) {
    super(db);
  }

  @Override
  ApiConfig config() {
    return super.config().with(provider.apiKeys());
  }

  @AfterEach
  void stopProvider() {
    provider.close();
  }

  @Test
  void signInThroughTheProviderCreatesTheUserWithTheMappedRoleAndRemapsItNextTime() {
    String session = signIn("erin", "/runs?phase=Failed");

    HttpResponse<String> me = withCookie("/api/v1/auth/me", session);
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    assertThat(Http.json(me).get("username").asText()).isEqualTo("erin");
    assertThat(Http.json(me).get("role").asText()).isEqualTo("editor");
    assertThat(http.get("/api/v1/users", admin).body())
        .contains("\"username\":\"erin\",\"role\":\"editor\"");

    provider.setGroups("erin", List.of("kontroler-admins"));
    String again = signIn("erin", "/");
    assertThat(Http.json(withCookie("/api/v1/auth/me", again)).get("role").asText())
        .isEqualTo("admin");
    assertThat(http.get("/api/v1/users", admin).body())
        .contains("\"username\":\"erin\",\"role\":\"admin\"");
  }

  @Test
  void aUserWithNoListedGroupIsRefusedAndNotCreated() {
    Walk walk = walk("nobody", "/");

    assertThat(walk.callback().statusCode()).isEqualTo(302);
    assertThat(walk.callback().headers().firstValue("Location"))
        .hasValue("/login?sso-error=denied");
    assertThat(walk.callback().headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith("kontroler_session="));
    assertThat(http.get("/api/v1/users", admin).body()).doesNotContain("nobody");
  }

  @Test
  void aLocalAccountOfTheSameNameIsNeverTakenOver() {
    Walk walk = walk("admin", "/");

    assertThat(walk.callback().headers().firstValue("Location")).hasValue("/login?sso-error=taken");
    assertThat(http.login("admin", ADMIN_PASSWORD)).startsWith("kt_");
  }

  @Test
  void aCallbackWhoseStateIsNotThisBrowsersIsRefused() {
    Walk walk = walk("erin", "/");
    String location = walk.providerRedirect();
    String forged = location.replaceAll("state=[^&]+", "state=forged");

    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(forged))
                .header("Cookie", walk.pendingCookie())
                .GET()
                .build());

    assertThat(r.headers().firstValue("Location")).hasValue("/login?sso-error=state");
  }

  @Test
  void bearerTokensMapTheirGroupsToRoles() {
    Instant later = Instant.now().plus(Duration.ofMinutes(10));
    assertThat(roleOf(provider.token("ada", later))).isEqualTo("admin");
    assertThat(roleOf(provider.token("erin", later))).isEqualTo("editor");
    assertThat(roleOf(provider.token("vic", later))).isEqualTo("viewer");

    HttpResponse<String> none = http.get("/api/v1/auth/me", provider.token("nobody", later));
    assertThat(none.statusCode()).isEqualTo(403);
    assertThat(none.body()).contains("no role for user 'nobody'").contains("marketing");

    String viewer = provider.token("vic", later);
    assertThat(http.get("/api/v1/users", viewer).statusCode()).isEqualTo(403);
    assertThat(http.get("/api/v1/dags", viewer).statusCode()).isEqualTo(200);
    assertThat(http.get("/api/v1/users", admin).body())
        .contains("\"username\":\"vic\",\"role\":\"viewer\"")
        .doesNotContain("nobody");
  }

  @Test
  void aBearerTokenNamingALocalAccountCanNotActAsIt() {
    String asAdmin = provider.token("admin", Instant.now().plus(Duration.ofMinutes(10)));

    HttpResponse<String> list = http.get("/api/v1/auth/tokens", asAdmin);
    HttpResponse<String> mint = http.post("/api/v1/auth/tokens", asAdmin, "{\"name\":\"x\"}");

    assertThat(list.statusCode()).isEqualTo(403);
    assertThat(list.body()).contains("local account");
    assertThat(mint.statusCode()).isEqualTo(403);
    assertThat(http.get("/api/v1/auth/tokens", admin).body()).doesNotContain("\"name\":\"x\"");
  }

  @Test
  void aTamperedExpiredForeignOrMisaddressedTokenIsRefusedWith401() {
    Instant later = Instant.now().plus(Duration.ofMinutes(10));
    String vic = provider.token("vic", later);
    String[] parts = vic.split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("kontroler-viewers", "kontroler-admins");
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    String expired = provider.token("ada", Instant.now().minus(Duration.ofHours(1)));
    String otherAudience =
        provider.sign(provider.claims("ada", null, later).audience("someone-else").build());
    String otherIssuer =
        provider.sign(
            provider.claims("ada", null, later).issuer("http://127.0.0.1:1/other").build());
    String otherKey;
    try (TestOidcProvider impostor = new TestOidcProvider(Map.of("ada", List.of()))) {
      otherKey =
          impostor.sign(
              new JWTClaimsSet.Builder(provider.claims("ada", null, later).build()).build());
    }

    for (String token : List.of(tampered, expired, otherAudience, otherIssuer, otherKey)) {
      HttpResponse<String> r = http.get("/api/v1/auth/me", token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    }
    assertThat(roleOf(vic)).isEqualTo("viewer");
  }

  @Test
  void theSessionAnswerNamesTheProviderAndNeedsNoLogin() {
    HttpResponse<String> r = http.get("/api/v1/auth/session", null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Http.json(r).get("authenticated").asBoolean()).isFalse();
    assertThat(Http.json(r).get("sso").asText()).isEqualTo("Test IdP");
    HttpResponse<String> in = http.get("/api/v1/auth/session", admin);
    assertThat(Http.json(in).get("authenticated").asBoolean()).isTrue();
    assertThat(Http.json(in).get("username").asText()).isEqualTo("admin");
  }

  @Test
  void aProviderThatIsDownGivesAReadableErrorWhileLocalLoginsWorkThenItIsFoundAgain() {
    server.close();
    provider.stop();
    server = new ApiServer(config(), new ApiServer.Adapters(publisher, logs, false, clock));
    http = new Http(server.start());

    HttpResponse<String> start = http.post("/api/v1/auth/oidc/start", null, "{\"next\":\"/\"}");
    assertThat(start.statusCode()).isEqualTo(503);
    assertThat(start.body())
        .contains("single sign-on is unavailable")
        .contains(provider.issuer() + " could not be reached")
        .contains("local accounts still work");
    assertThat(http.login("admin", ADMIN_PASSWORD)).startsWith("kt_");
    assertThat(
            http.get("/api/v1/auth/me", provider.token("ada", Instant.now().plusSeconds(60)))
                .statusCode())
        .isEqualTo(503);

    provider.restart();
    clock.advance(Duration.ofSeconds(11));
    assertThat(signIn("ada", "/")).startsWith("kontroler_session=");
  }

  // --- the browser's walk through the flow -----------------------------------------------------

  /** What a browser meets on the way: the pending cookie, the provider's redirect, the callback. */
  private record Walk(
      String pendingCookie, String providerRedirect, HttpResponse<String> callback) {}

  private Walk walk(String username, String next) {
    HttpResponse<String> start =
        http.post("/api/v1/auth/oidc/start", null, "{\"next\":\"" + next + "\"}");
    assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
    String pending =
        start.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("kontroler_oidc="))
            .findFirst()
            .orElseThrow();
    assertThat(pending).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
    String authorization = Http.json(start).get("authorizationUrl").asText();
    assertThat(authorization)
        .startsWith(provider.issuer() + "/authorize?")
        .contains("code_challenge_method=S256")
        .contains("nonce=")
        .contains("state=");

    HttpResponse<String> page =
        http.send(HttpRequest.newBuilder(URI.create(authorization)).GET().build());
    assertThat(page.body()).contains("provider-username");
    String query = URI.create(authorization).getRawQuery();
    HttpResponse<String> signedIn =
        http.send(
            HttpRequest.newBuilder(URI.create(provider.issuer() + "/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "request="
                            + URLEncoder.encode(query, StandardCharsets.UTF_8)
                            + "&username="
                            + username))
                .build());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    String back = signedIn.headers().firstValue("Location").orElseThrow();
    assertThat(back).startsWith(http.base + "/api/v1/auth/oidc/callback?code=");
    String cookie = pending.substring(0, pending.indexOf(';'));
    HttpResponse<String> callback =
        http.send(HttpRequest.newBuilder(URI.create(back)).header("Cookie", cookie).GET().build());
    return new Walk(cookie, back, callback);
  }

  /** Signs in through the provider; the session cookie ({@code name=value}). */
  private String signIn(String username, String next) {
    HttpResponse<String> callback = walk(username, next).callback();
    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
    assertThat(callback.headers().firstValue("Location")).hasValue(next);
    String session =
        callback.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("kontroler_session="))
            .findFirst()
            .orElseThrow();
    assertThat(session).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
    return session.substring(0, session.indexOf(';'));
  }

  private HttpResponse<String> withCookie(String path, String cookie) {
    return http.send(http.request(path, null).header("Cookie", cookie).GET().build());
  }

  private String roleOf(String bearer) {
    HttpResponse<String> me = http.get("/api/v1/auth/me", bearer);
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    return Http.json(me).get("role").asText();
  }
}

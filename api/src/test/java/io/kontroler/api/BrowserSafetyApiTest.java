package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.http.BrowserGuard;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What keeps a logged-in browser from being used by another page, on a real server. */
class BrowserSafetyApiTest extends ApiTestBase {
  private static final String RUN = "{\"dagName\":\"diamond\",\"parameters\":{}}";

  BrowserSafetyApiTest() {
    super(Db.SQLITE);
  }

  @Override
  ApiConfig config() {
    return super.config().with(Map.of("api.allowed.origins", "https://kontroler.example.com"));
  }

  private String sessionCookie() {
    HttpResponse<String> login =
        http.post(
            "/api/v1/auth/login",
            null,
            "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    return cookie.substring(0, cookie.indexOf(';'));
  }

  private HttpResponse<String> postWithCookie(String origin, String type, String body) {
    HttpRequest.Builder b =
        http.request("/api/v1/runs", null)
            .header("Cookie", sessionCookie())
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (origin != null) {
      b.header("Origin", origin);
    }
    if (type != null) {
      b.header("Content-Type", type);
    }
    return http.send(b.build());
  }

  @Test
  void aChangeInATypeTheApiDoesNotReadIs415AndStartsNothing() {
    applyOk(Samples.diamond("diamond"));
    int before = publisher.commands.size();
    HttpResponse<String> plain = postWithCookie(null, "text/plain", RUN);
    assertThat(plain.statusCode()).isEqualTo(415);
    assertThat(plain.body()).contains("application/json");
    assertThat(postWithCookie(null, "application/x-www-form-urlencoded", "a=b").statusCode())
        .isEqualTo(415);
    assertThat(
            http.post("/api/v1/runs", admin, RUN, "multipart/form-data; boundary=x").statusCode())
        .isEqualTo(415);
    assertThat(publisher.commands).hasSize(before);
    assertThat(postWithCookie(null, "application/json; charset=utf-8", RUN).statusCode())
        .isEqualTo(201);
  }

  @Test
  void aChangeFromAForeignOriginIs403WhateverTheCredentials() {
    applyOk(Samples.diamond("diamond"));
    int before = publisher.commands.size();
    for (String origin :
        new String[] {"http://localhost:9999", "http://evil.example", "null", "not a url"}) {
      HttpResponse<String> r = postWithCookie(origin, "application/json", RUN);
      assertThat(r.statusCode()).as(origin).isEqualTo(403);
      assertThat(r.body()).contains("api.allowed.origins");
    }
    assertThat(
            http.send(
                    http.request("/api/v1/runs", admin)
                        .header("Origin", "http://evil.example")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(RUN))
                        .build())
                .statusCode())
        .isEqualTo(403);
    assertThat(publisher.commands).hasSize(before);

    String own = http.base;
    assertThat(postWithCookie(own, "application/json", RUN).statusCode()).isEqualTo(201);
    assertThat(
            postWithCookie("https://kontroler.example.com", "application/json", RUN).statusCode())
        .isEqualTo(201);
    // Reading is not a change: a foreign origin may not read the answer anyway (no CORS).
    assertThat(
            http.send(
                    http.request("/api/v1/runs", admin)
                        .header("Origin", "http://evil.example")
                        .GET()
                        .build())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void everyResponseCarriesAStrictContentSecurityPolicy() {
    for (String path : new String[] {"/api/v1/health", "/api/v1/dags", "/nope"}) {
      HttpResponse<String> r = http.get(path, admin);
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .as(path)
          .contains(BrowserGuard.CONTENT_SECURITY_POLICY);
      assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
      assertThat(r.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
    assertThat(BrowserGuard.CONTENT_SECURITY_POLICY)
        .contains("script-src 'self';")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-eval");
  }

  @Test
  void overTlsResponsesAskForHstsAndTheCookieIsSecure() {
    HttpResponse<String> login =
        http.send(
            http.request("/api/v1/auth/login", null)
                .header("X-Forwarded-Proto", "https")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}"))
                .build());
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.headers().firstValue("Strict-Transport-Security")).isPresent();
    assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
        .containsIgnoringCase("Secure");

    HttpResponse<String> plain =
        http.post(
            "/api/v1/auth/login",
            null,
            "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
    assertThat(plain.headers().firstValue("Set-Cookie").orElseThrow())
        .doesNotContainIgnoringCase("Secure");
  }
}

package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.auth.Role;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Db.class)
class AuthApiTest extends ApiTestBase {

  AuthApiTest(Db db) {
    super(db);
  }

  @Test
  void healthNeedsNoToken() {
    HttpResponse<String> r = http.get("/api/v1/health", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Http.json(r).get("status").asText()).isEqualTo("UP");
  }

  @Test
  void loginSetsAnHttpOnlyStrictCookieThatAuthenticates() {
    HttpResponse<String> r =
        http.post(
            "/api/v1/auth/login",
            null,
            "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .contains("kontroler_session=")
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Strict");

    String value = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<String> me =
        http.send(http.request("/api/v1/auth/me", null).header("Cookie", value).GET().build());
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(Http.json(me).get("username").asText()).isEqualTo("admin");
    assertThat(Http.json(me).get("role").asText()).isEqualTo("admin");
  }

  @Test
  void wrongPasswordIs401AndRepeatedFailuresAreSlowedDown() {
    String bad = "{\"username\":\"admin\",\"password\":\"nope-nope\"}";
    for (int i = 0; i < 5; i++) { // api.login.max.failures
      assertThat(http.post("/api/v1/auth/login", null, bad).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> locked =
        http.post(
            "/api/v1/auth/login",
            null,
            "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).isPresent();

    clock.advance(Duration.ofSeconds(2));
    assertThat(
            http.post(
                    "/api/v1/auth/login",
                    null,
                    "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void logoutRevokesTheToken() {
    String token = http.login("admin", ADMIN_PASSWORD);
    assertThat(http.post("/api/v1/auth/logout", token, "").statusCode()).isEqualTo(204);
    assertThat(http.get("/api/v1/auth/me", token).statusCode()).isEqualTo(401);
    assertThat(http.get("/api/v1/auth/me", admin).statusCode()).isEqualTo(200);
  }

  @Test
  void apiTokensWorkUntilRevokedOrExpired() {
    HttpResponse<String> created =
        http.post("/api/v1/auth/tokens", admin, "{\"name\":\"ci\",\"ttlSeconds\":3600}");
    assertThat(created.statusCode()).isEqualTo(201);
    String token = Http.json(created).get("token").asText();
    String id = Http.json(created).get("id").asText();
    assertThat(http.get("/api/v1/dags", token).statusCode()).isEqualTo(200);

    HttpResponse<String> listed = http.get("/api/v1/auth/tokens", admin);
    assertThat(listed.body()).contains(id).doesNotContain(token);

    assertThat(http.delete("/api/v1/auth/tokens/" + id, admin).statusCode()).isEqualTo(204);
    assertThat(http.get("/api/v1/dags", token).statusCode()).isEqualTo(401);

    String shortLived =
        Http.json(http.post("/api/v1/auth/tokens", admin, "{\"name\":\"short\",\"ttlSeconds\":60}"))
            .get("token")
            .asText();
    assertThat(http.get("/api/v1/dags", shortLived).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(61));
    assertThat(http.get("/api/v1/dags", shortLived).statusCode()).isEqualTo(401);
  }

  @Test
  void adminsManageUsersAndEachUserTheirOwnPassword() {
    String viewer = tokenFor(Role.viewer);
    String editor = tokenFor(Role.editor);
    assertThat(Http.json(http.get("/api/v1/users", admin)).get("items")).hasSize(3);
    assertThat(
            http.post(
                    "/api/v1/users",
                    admin,
                    "{\"username\":\"user-viewer\",\"password\":\"whatever-1\",\"role\":\"viewer\"}")
                .statusCode())
        .isEqualTo(409);
    HttpResponse<String> bad =
        http.post(
            "/api/v1/users", admin, "{\"username\":\"\",\"password\":\"short\",\"role\":\"king\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Http.json(bad).get("errors")).hasSize(3);

    String change = "{\"currentPassword\":\"password-viewer\",\"newPassword\":\"another-pass\"}";
    assertThat(http.put("/api/v1/users/user-viewer/password", viewer, change).statusCode())
        .isEqualTo(204);
    assertThat(http.get("/api/v1/auth/me", viewer).statusCode()).isEqualTo(401);
    viewer = http.login("user-viewer", "another-pass");
    assertThat(
            http.put(
                    "/api/v1/users/user-editor/password",
                    viewer,
                    "{\"newPassword\":\"hijacked-1\"}")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            http.put(
                    "/api/v1/users/user-editor/password",
                    admin,
                    "{\"newPassword\":\"reset-by-admin\"}")
                .statusCode())
        .isEqualTo(204);
    assertThat(http.get("/api/v1/auth/me", editor).statusCode()).isEqualTo(401);

    assertThat(http.delete("/api/v1/users/admin", admin).statusCode()).isEqualTo(409);
    assertThat(http.delete("/api/v1/users/user-viewer", admin).statusCode()).isEqualTo(204);
    assertThat(http.get("/api/v1/auth/me", viewer).statusCode()).isEqualTo(401);
    assertThat(http.delete("/api/v1/users/nobody", admin).statusCode()).isEqualTo(404);
  }

  @Test
  void errorsAreJsonWithPathAndMessage() {
    HttpResponse<String> r = http.get("/api/v1/dags", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(Http.json(r).get("errors").get(0).has("message")).isTrue();
    HttpResponse<String> none =
        http.send(http.request("/api/v1/no-such-route", admin).GET().build());
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(Http.json(none).get("errors")).isNotEmpty();
    HttpResponse<String> text =
        http.send(
            http.request("/api/v1/auth/login", null)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\": \"admin\",\n \"password\": }"))
                .build());
    assertThat(text.statusCode()).isEqualTo(400);
    assertThat(Http.json(text).get("errors").get(0).get("path").asText())
        .isEqualTo("line 2, column 14");
  }
}

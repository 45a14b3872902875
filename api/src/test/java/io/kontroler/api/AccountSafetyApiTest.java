package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.auth.Role;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Accounts that hold, on a real server. */
class AccountSafetyApiTest extends ApiTestBase {

  AccountSafetyApiTest() {
    super(Db.SQLITE);
  }

  private static String login(String user, String password) {
    return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
  }

  @Test
  void aBurstOfWrongPasswordsChecksNoMoreThanTheLimitAndTheRightOneWorksAfterTheDelay() {
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      burst.add(
          http.client.sendAsync(
              http.request("/api/v1/auth/login", null)
                  .header("Content-Type", "application/json")
                  .POST(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          login("admin", "wrong-" + i)))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> codes = burst.stream().map(f -> f.join().statusCode()).toList();
    assertThat(codes.stream().filter(c -> c == 401).count()).isEqualTo(5);
    assertThat(codes.stream().filter(c -> c == 429).count()).isEqualTo(95);

    HttpResponse<String> waiting =
        http.post("/api/v1/auth/login", null, login("admin", ADMIN_PASSWORD));
    assertThat(waiting.statusCode()).isEqualTo(429);
    assertThat(waiting.headers().firstValue("Retry-After")).contains("1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(http.post("/api/v1/auth/login", null, login("admin", ADMIN_PASSWORD)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void anAdminsPasswordResetEndsEverySessionAndTokenOfThatUser() {
    String viewer = tokenFor(Role.viewer);
    String minted =
        Http.json(
                http.post("/api/v1/auth/tokens", viewer, "{\"name\":\"ci\",\"ttlSeconds\":86400}"))
            .get("token")
            .asText();
    assertThat(http.get("/api/v1/dags", minted).statusCode()).isEqualTo(200);

    assertThat(
            http.put(
                    "/api/v1/users/user-viewer/password",
                    admin,
                    "{\"newPassword\":\"a-new-password\"}")
                .statusCode())
        .isEqualTo(204);

    assertThat(http.get("/api/v1/dags", viewer).statusCode()).isEqualTo(401);
    assertThat(http.get("/api/v1/dags", minted).statusCode()).isEqualTo(401);
    assertThat(http.get("/api/v1/dags", admin).statusCode()).isEqualTo(200);
    String fresh = http.login("user-viewer", "a-new-password");
    assertThat(
            http.put(
                    "/api/v1/users/user-viewer/password",
                    fresh,
                    "{\"currentPassword\":\"a-new-password\",\"newPassword\":\"third-password\"}")
                .statusCode())
        .isEqualTo(204);
    assertThat(http.get("/api/v1/dags", fresh).statusCode()).isEqualTo(401);
  }

  @Test
  void tokensLiveNoLongerThanTheConfiguredMaximum() {
    long max = Duration.ofDays(30).toSeconds();
    HttpResponse<String> tooLong =
        http.post(
            "/api/v1/auth/tokens", admin, "{\"name\":\"ci\",\"ttlSeconds\":" + (max + 1) + "}");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).contains("api.token.max.ttl");
    assertThat(
            http.post("/api/v1/auth/tokens", admin, "{\"name\":\"ci\",\"ttlSeconds\":" + max + "}")
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void adminsListAndRevokeAnyonesTokensAndChangeRoles() {
    String editor = tokenFor(Role.editor);
    String viewer = tokenFor(Role.viewer);
    JsonNode tokens = Http.json(http.get("/api/v1/users/user-editor/tokens", admin)).get("items");
    assertThat(tokens).hasSize(1);
    String id = tokens.get(0).get("id").asText();
    assertThat(tokens.toString()).doesNotContain(editor);

    assertThat(http.get("/api/v1/users/user-editor/tokens", viewer).statusCode()).isEqualTo(403);
    assertThat(http.delete("/api/v1/users/user-editor/tokens/" + id, editor).statusCode())
        .isEqualTo(403);
    assertThat(http.delete("/api/v1/users/user-editor/tokens/" + id, admin).statusCode())
        .isEqualTo(204);
    assertThat(http.get("/api/v1/auth/me", editor).statusCode()).isEqualTo(401);
    assertThat(http.delete("/api/v1/users/user-editor/tokens/" + id, admin).statusCode())
        .isEqualTo(404);

    assertThat(
            http.put("/api/v1/users/user-viewer/role", viewer, "{\"role\":\"admin\"}").statusCode())
        .isEqualTo(403);
    assertThat(http.post("/api/v1/runs", viewer, "{\"dagName\":\"x\"}").statusCode())
        .isEqualTo(403);
    HttpResponse<String> promoted =
        http.put("/api/v1/users/user-viewer/role", admin, "{\"role\":\"editor\"}");
    assertThat(promoted.statusCode()).isEqualTo(200);
    assertThat(Http.json(http.get("/api/v1/auth/me", viewer)).get("role").asText())
        .isEqualTo("editor");
    assertThat(
            http.put("/api/v1/users/user-viewer/role", admin, "{\"role\":\"king\"}").statusCode())
        .isEqualTo(400);
    assertThat(http.put("/api/v1/users/admin/role", admin, "{\"role\":\"viewer\"}").statusCode())
        .isEqualTo(409);
    assertThat(http.put("/api/v1/users/nobody/role", admin, "{\"role\":\"viewer\"}").statusCode())
        .isEqualTo(404);
  }
}

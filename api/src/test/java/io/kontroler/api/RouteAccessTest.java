package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.event.HandlerMetaInfo;
import io.kontroler.api.auth.Role;
import io.kontroler.api.http.Route;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Every route, one by one: 401 without a token, 403 for each role below the route's. */
@ParameterizedClass
@EnumSource(Db.class)
class RouteAccessTest extends ApiTestBase {

  RouteAccessTest(Db db) {
    super(db);
  }

  @Test
  void everyRegisteredHandlerIsInTheRouteTableWithItsRole() {
    Set<String> table =
        server.routes().stream()
            .map(
                r -> r.method() + " " + r.path() + " " + (r.role() == null ? "-" : r.role().name()))
            .collect(Collectors.toSet());
    List<HandlerMetaInfo> registered =
        server.registeredHandlers().stream()
            .filter(h -> h.getHttpMethod().isHttpMethod())
            .filter(h -> !h.getPath().equals("*") && !h.getPath().startsWith("/kontroler-ui"))
            .filter(h -> h.getHttpMethod().name().matches("GET|POST|PUT|DELETE|PATCH"))
            .toList();
    Set<String> javalin =
        registered.stream()
            .map(
                h ->
                    h.getHttpMethod()
                        + " "
                        + h.getPath()
                        + " "
                        + h.getRoles().stream().map(Object::toString).findFirst().orElse("-"))
            .collect(Collectors.toSet());
    assertThat(javalin).containsAll(table);
    assertThat(table).containsAll(javalin);
    assertThat(server.routes()).hasSizeGreaterThan(30);
  }

  @Test
  void everyProtectedRouteRefusesNoTokenAndLowerRoles() {
    Map<Role, String> tokens = new EnumMap<>(Role.class);
    tokens.put(Role.viewer, tokenFor(Role.viewer));
    tokens.put(Role.editor, tokenFor(Role.editor));
    int checked = 0;
    for (Route route : server.routes()) {
      if (route.isPublic()) {
        continue;
      }
      HttpResponse<String> anonymous = call(route, null);
      assertThat(anonymous.statusCode())
          .as("%s %s without a token", route.method(), route.path())
          .isEqualTo(401);
      checked++;
      for (Role role : Role.values()) {
        if (role.atLeast(route.role())) {
          break;
        }
        HttpResponse<String> below = call(route, tokens.get(role));
        assertThat(below.statusCode())
            .as("%s %s as %s (needs %s)", route.method(), route.path(), role, route.role())
            .isEqualTo(403);
      }
    }
    assertThat(checked).isGreaterThan(25);
  }

  @Test
  void openApiDocumentDescribesEveryRoute() {
    HttpResponse<String> r = http.get("/api/v1/openapi.json", null);
    assertThat(r.statusCode()).isEqualTo(200);
    var paths = Http.json(r).get("paths");
    for (Route route : server.routes()) {
      assertThat(paths.has(route.path())).as(route.path()).isTrue();
      assertThat(paths.get(route.path()).has(route.method().name().toLowerCase())).isTrue();
    }
    var runBody = paths.get("/api/v1/runs").get("post").get("requestBody");
    assertThat(runBody.toString()).contains("dagName").contains("fromSecret");
    assertThat(paths.get("/api/v1/dags").get("post").get("x-kontroler-role").asText())
        .isEqualTo("editor");
    var task =
        paths
            .get("/api/v1/runs/{id}")
            .get("get")
            .get("responses")
            .get("200")
            .get("content")
            .get("application/json")
            .get("schema")
            .get("properties")
            .get("tasks")
            .get("items")
            .get("properties");
    assertThat(task.get("outputs").get("additionalProperties").get("type").asText())
        .isEqualTo("string");
    assertThat(task.get("message").get("description").asText()).contains("condition false: ");
    assertThat(task.get("instances").get("properties").has("counts")).isTrue();
    assertThat(task.get("childRunId").get("description").asText()).contains("dagRef");
    var rerun = paths.get("/api/v1/runs/{id}/tasks/{task}/rerun").get("post");
    assertThat(rerun.get("x-kontroler-role").asText()).isEqualTo("editor");
    assertThat(rerun.get("parameters").toString()).contains("\"task\"");
    assertThat(
            paths
                .get("/api/v1/runs/{id}/tasks/{task}/instances")
                .get("get")
                .get("responses")
                .get("200")
                .toString())
        .contains("nextOffset");
  }

  private HttpResponse<String> call(Route route, String token) {
    String path = route.path().replaceAll("\\{[^}]+}", "x");
    HttpRequest.Builder b = http.request(path, token).header("Content-Type", "application/json");
    return http.send(
        b.method(route.method().name(), HttpRequest.BodyPublishers.ofString("{}")).build());
  }
}

package io.kontroler.api.http;

import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3.0 document of the API, generated from the route table so it cannot drift. */
public final class OpenApi {
  private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
  private static final Map<String, Object> STRING = Map.of("type", "string");

  /** The JSON bodies of the routes that take one, by "METHOD path". */
  private static final Map<String, Map<String, Object>> BODIES =
      Map.of(
          "POST /api/v1/auth/login", object(Map.of("username", STRING, "password", STRING)),
          "POST /api/v1/auth/tokens",
              object(Map.of("name", STRING, "ttlSeconds", Map.of("type", "integer"))),
          "POST /api/v1/users",
              object(
                  Map.of(
                      "username", STRING,
                      "password", STRING,
                      "role",
                          Map.of("type", "string", "enum", List.of("viewer", "editor", "admin")))),
          "PUT /api/v1/users/{username}/password",
              object(Map.of("currentPassword", STRING, "newPassword", STRING)),
          "PUT /api/v1/pools/{name}",
              object(
                  Map.of(
                      "slots",
                      Map.of(
                          "type",
                          "integer",
                          "description",
                          "0 to 10000; 0 holds every task of the pool until raised"))),
          "POST /api/v1/runs",
              object(
                  Map.of(
                      "dagName", Map.of("type", "string", "description", "name or namespace/name"),
                      "name", STRING,
                      "parameters",
                          Map.of(
                              "type",
                              "object",
                              "additionalProperties",
                              Map.of(
                                  "oneOf",
                                  List.of(STRING, object(Map.of("fromSecret", STRING))))))));

  private static final Map<String, Object> STRINGS =
      Map.of("type", "object", "additionalProperties", STRING);

  /** A task of a run as {@code GET /api/v1/runs/{id}} shows it. */
  private static final Map<String, Object> TASK =
      Map.of(
          "type",
          "object",
          "properties",
          Map.ofEntries(
              Map.entry("name", STRING),
              Map.entry("phase", STRING),
              Map.entry("attempts", Map.of("type", "integer")),
              Map.entry("exitCode", Map.of("type", "integer")),
              Map.entry("failureKind", STRING),
              Map.entry(
                  "message",
                  Map.of(
                      "type",
                      "string",
                      "description",
                      "why the task is in its phase; a skipped task's starts with 'condition"
                          + " false: ' (its when was false) or 'trigger rule ' (its upstream"
                          + " outcomes)")),
              Map.entry("runAfter", Map.of("type", "array", "items", STRING)),
              Map.entry(
                  "exit",
                  Map.of(
                      "type",
                      "boolean",
                      "description",
                      "true for an exit task (spec.onExit); absent for the others")),
              Map.entry("startedAt", Map.of("type", "string", "format", "date-time")),
              Map.entry("finishedAt", Map.of("type", "string", "format", "date-time")),
              Map.entry(
                  "outputs",
                  Map.of(
                      "type",
                      "object",
                      "additionalProperties",
                      STRING,
                      "description",
                      "the values a succeeded task wrote for its declared outputs; empty when"
                          + " none")),
              Map.entry(
                  "instances",
                  Map.of(
                      "type",
                      "object",
                      "description",
                      "a forEach task's instances (tasks named name[index]) reported so far: total,"
                          + " counts by phase, the first page of them (items, by index) and"
                          + " nextOffset for GET /api/v1/runs/{id}/tasks/{task}/instances;"
                          + " absent for other tasks",
                      "properties",
                      Map.of(
                          "total", Map.of("type", "integer"),
                          "counts",
                              Map.of(
                                  "type",
                                  "object",
                                  "additionalProperties",
                                  Map.of("type", "integer")),
                          "items", Map.of("type", "array", "items", Map.of("type", "object")),
                          "nextOffset", Map.of("type", "integer")))),
              Map.entry(
                  "waitingForPool",
                  Map.of(
                      "type",
                      "string",
                      "description",
                      "the shared pool a Pending task waits for a slot of; absent for other"
                          + " tasks")),
              Map.entry(
                  "childRunId",
                  Map.of(
                      "type",
                      "string",
                      "description",
                      "a dagRef task's child run (its latest attempt's); absent for other"
                          + " tasks")),
              Map.entry(
                  "approval",
                  Map.of(
                      "type",
                      "object",
                      "description",
                      "an approval task's approvers and timeoutSeconds, and the decision on its"
                          + " latest attempt (approved, user, comment, at; no user when it timed"
                          + " out; absent while it waits); absent for other tasks"))));

  /** A page of a forEach task's instances. */
  private static final Map<String, Object> INSTANCE_PAGE =
      Map.of(
          "type",
          "object",
          "properties",
          Map.of(
              "items", Map.of("type", "array", "items", TASK),
              "total", Map.of("type", "integer"),
              "offset", Map.of("type", "integer"),
              "limit", Map.of("type", "integer"),
              "nextOffset", Map.of("type", "integer", "description", "absent on the last page")));

  /** A shared pool as {@code GET /api/v1/pools/{name}} shows it. */
  private static final Map<String, Object> POOL =
      object(
          Map.of(
              "name", STRING,
              "slots", Map.of("type", "integer"),
              "defined",
                  Map.of(
                      "type",
                      "boolean",
                      "description",
                      "false until an admin set its slots: a pool nobody defined has 0 slots"),
              "inUse", Map.of("type", "integer"),
              "waiting", Map.of("type", "integer", "description", "attempts waiting for a slot"),
              "holders",
                  Map.of(
                      "type",
                      "array",
                      "items",
                      object(
                          Map.of(
                              "dag",
                              STRING,
                              "runId",
                              STRING,
                              "task",
                              STRING,
                              "attempt",
                              Map.of("type", "integer"),
                              "since",
                              Map.of("type", "string", "format", "date-time"),
                              "leaseUntil",
                              Map.of("type", "string", "format", "date-time")))),
              "updatedAt", Map.of("type", "string", "format", "date-time")));

  /** The JSON answers of the routes whose shape is described, by "METHOD path". */
  private static final Map<String, Map<String, Object>> ANSWERS =
      Map.of(
          "GET /api/v1/runs/{id}/tasks/{task}/instances",
          INSTANCE_PAGE,
          "POST /api/v1/runs/{id}/tasks/{task}/rerun",
          object(Map.of("id", STRING)),
          "GET /api/v1/pools/{name}",
          POOL,
          "GET /api/v1/runs/{id}",
          Map.of(
              "type",
              "object",
              "properties",
              Map.ofEntries(
                  Map.entry("id", STRING),
                  Map.entry("dag", STRING),
                  Map.entry("dagName", STRING),
                  Map.entry("namespace", STRING),
                  Map.entry("dagVersion", Map.of("type", "integer")),
                  Map.entry("name", STRING),
                  Map.entry("phase", STRING),
                  Map.entry("message", STRING),
                  Map.entry("counts", Map.of("type", "object")),
                  Map.entry("parameters", STRINGS),
                  Map.entry("createdAt", Map.of("type", "string", "format", "date-time")),
                  Map.entry("startedAt", Map.of("type", "string", "format", "date-time")),
                  Map.entry("finishedAt", Map.of("type", "string", "format", "date-time")),
                  Map.entry(
                      "parent",
                      Map.of(
                          "type",
                          "object",
                          "description",
                          "on a child run: the parent run and its dagRef task that started it",
                          "properties",
                          Map.of("runId", STRING, "dag", STRING, "task", STRING))),
                  Map.entry("tasks", Map.of("type", "array", "items", TASK)),
                  Map.entry(
                      "paused",
                      Map.of(
                          "type",
                          "boolean",
                          "description",
                          "no new task of the run starts until it is resumed (POST"
                              + " /api/v1/runs/{id}/resume); running tasks go on")),
                  Map.entry("pausedBy", Map.of("type", "string", "description", "who paused it")),
                  Map.entry(
                      "slaMissed",
                      Map.of(
                          "type",
                          "boolean",
                          "description",
                          "the run or one of its tasks ran past the DAG's spec.sla")))));

  private static final String DOCUMENTS =
      "DAG, DagTask and WorkFlow documents (kontroler.greedykomodo/v1alpha1), YAML (several"
          + " separated by ---) or JSON (an object or an array)";

  private OpenApi() {}

  private static Map<String, Object> object(Map<String, Object> properties) {
    return Map.of("type", "object", "properties", properties);
  }

  public static Map<String, Object> document(List<Route> routes, String version) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.0.3");
    doc.put(
        "info",
        Map.of(
            "title",
            "Kontroler API",
            "version",
            version,
            "description",
            "Workflows of containerised tasks. Errors are {errors:[{path, message}]}. Roles:"
                + " viewer < editor < admin; each operation names the least role in"
                + " x-kontroler-role."));
    doc.put(
        "components",
        Map.of(
            "securitySchemes",
            Map.of(
                "bearer", Map.of("type", "http", "scheme", "bearer"),
                "cookie", Map.of("type", "apiKey", "in", "cookie", "name", "kontroler_session")),
            "schemas",
            Map.of(
                "Errors",
                Map.of(
                    "type",
                    "object",
                    "properties",
                    Map.of(
                        "errors",
                        Map.of(
                            "type",
                            "array",
                            "items",
                            Map.of(
                                "type",
                                "object",
                                "properties",
                                Map.of(
                                    "path", Map.of("type", "string"),
                                    "message", Map.of("type", "string")))))))));
    Map<String, Map<String, Object>> paths = new LinkedHashMap<>();
    for (Route r : routes) {
      paths
          .computeIfAbsent(r.path(), p -> new LinkedHashMap<>())
          .put(r.method().name().toLowerCase(Locale.ROOT), operation(r));
    }
    doc.put("paths", paths);
    return doc;
  }

  private static Map<String, Object> operation(Route r) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("summary", r.summary());
    op.put("operationId", operationId(r));
    List<Map<String, Object>> params = new ArrayList<>();
    Matcher m = PARAM.matcher(r.path());
    while (m.find()) {
      params.add(
          Map.of(
              "name",
              m.group(1),
              "in",
              "path",
              "required",
              true,
              "schema",
              Map.of("type", "string")));
    }
    if (!params.isEmpty()) {
      op.put("parameters", params);
    }
    Map<String, Object> body = BODIES.get(r.method().name() + " " + r.path());
    if (body != null) {
      op.put(
          "requestBody",
          Map.of("required", true, "content", Map.of("application/json", Map.of("schema", body))));
    } else if (r.method() == HandlerType.POST
        && r.path().startsWith("/api/v1/dags")
        && (r.path().endsWith("/dags") || r.path().endsWith("/validate"))) {
      Map<String, Object> text =
          Map.of("schema", Map.of("type", "string", "description", DOCUMENTS));
      op.put(
          "requestBody",
          Map.of(
              "required",
              true,
              "content",
              Map.of("application/yaml", text, "application/json", text)));
    }
    Map<String, Object> responses = new LinkedHashMap<>();
    Map<String, Object> answer = ANSWERS.get(r.method().name() + " " + r.path());
    responses.put(
        "200",
        answer == null
            ? Map.of("description", "OK")
            : Map.of(
                "description",
                "OK",
                "content",
                Map.of("application/json", Map.of("schema", answer))));
    Map<String, Object> error =
        Map.of(
            "description",
            "Error",
            "content",
            Map.of(
                "application/json",
                Map.of("schema", Map.of("$ref", "#/components/schemas/Errors"))));
    responses.put("400", error);
    if (!r.isPublic()) {
      responses.put("401", error);
      responses.put("403", error);
      op.put("security", List.of(Map.of("bearer", List.of()), Map.of("cookie", List.of())));
      op.put("x-kontroler-role", r.role().name());
    } else {
      op.put("security", List.of());
    }
    responses.put("404", error);
    op.put("responses", responses);
    return op;
  }

  private static String operationId(Route r) {
    StringBuilder id = new StringBuilder(r.method().name().toLowerCase(Locale.ROOT));
    for (String part : r.path().replace("/api/v1/", "").split("/")) {
      String clean = part.replaceAll("[{}]", "").replace("-", "");
      if (!clean.isEmpty()) {
        id.append(Character.toUpperCase(clean.charAt(0))).append(clean.substring(1));
      }
    }
    return id.toString();
  }
}

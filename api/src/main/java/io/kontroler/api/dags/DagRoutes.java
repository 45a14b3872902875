package io.kontroler.api.dags;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kontroler.api.auth.Role;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Bodies;
import io.kontroler.api.http.Paging;
import io.kontroler.api.http.Route;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.MessageCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** DAGs and DagTasks: apply, validate, list, read with versions and graph, suspend, delete. */
public final class DagRoutes {
  private static final String DAG = "/api/v1/dags/{namespace}/{name}";

  record Summary(
      String namespace,
      String name,
      int latestVersion,
      boolean suspended,
      String schedule,
      int tasks,
      Instant updatedAt) {}

  record VersionInfo(int version, Instant publishedAt) {}

  record Node(String name, String image, String taskRef) {}

  record Edge(String from, String to) {}

  record Graph(List<Node> nodes, List<Edge> edges) {}

  record Detail(
      String namespace,
      String name,
      int version,
      int latestVersion,
      boolean suspended,
      JsonNode spec,
      List<VersionInfo> versions,
      Graph graph) {}

  private final DagService service;
  private final DagStore store;
  private final Bodies bodies;

  public DagRoutes(DagService service, DagStore store, Bodies bodies) {
    this.service = service;
    this.store = store;
    this.bodies = bodies;
  }

  public List<Route> routes() {
    return List.of(
        Route.post(
            "/api/v1/dags",
            Role.editor,
            "Apply DAG, DagTask and WorkFlow documents (YAML or JSON)",
            this::apply),
        Route.post(
            "/api/v1/dags/validate",
            Role.viewer,
            "Validate documents without applying",
            this::check),
        Route.get("/api/v1/dags", Role.viewer, "List DAGs (search, namespace, paging)", this::list),
        Route.get(DAG, Role.viewer, "A DAG: spec, versions and graph (?version=N)", this::get),
        Route.delete(DAG, Role.editor, "Delete a DAG", this::delete),
        Route.post(DAG + "/suspend", Role.editor, "Suspend the schedule", c -> suspend(c, true)),
        Route.post(DAG + "/resume", Role.editor, "Resume the schedule", c -> suspend(c, false)),
        Route.get("/api/v1/dagtasks", Role.viewer, "List DagTasks", this::listTasks),
        Route.get(
            "/api/v1/dagtasks/{namespace}/{name}",
            Role.viewer,
            "A DagTask with its versions",
            this::getTask));
  }

  static String key(Context ctx) {
    return ctx.pathParam("namespace") + "/" + ctx.pathParam("name");
  }

  private void apply(Context ctx) {
    List<DagService.Applied> applied = service.apply(bodies.text(ctx), false);
    boolean created = applied.stream().anyMatch(DagService.Applied::changed);
    ctx.status(created ? 201 : 200).json(Map.of("applied", applied));
  }

  private void check(Context ctx) {
    ctx.json(Map.of("valid", true, "documents", service.apply(bodies.text(ctx), true)));
  }

  private void list(Context ctx) {
    Paging paging = Paging.of(ctx);
    String search = ctx.queryParam("search");
    String namespace = ctx.queryParam("namespace");
    List<Summary> items = new ArrayList<>();
    for (DagStore.DagHead h : store.list(search, namespace, paging.limit(), paging.offset())) {
      DagSpec spec =
          store.version(h.dag(), h.latestVersion()).map(DagStore.DagVersion::spec).orElse(null);
      items.add(
          new Summary(
              h.namespace(),
              h.name(),
              h.latestVersion(),
              h.suspended(),
              spec == null ? "" : spec.schedule(),
              spec == null ? 0 : spec.task().size(),
              h.updatedAt()));
    }
    ctx.json(Map.of("items", items, "total", store.count(search, namespace)));
  }

  private void get(Context ctx) {
    DagStore.DagHead head = service.liveHead(key(ctx));
    List<DagStore.DagVersion> versions = store.versions(head.dag());
    int wanted =
        ctx.queryParam("version") == null
            ? head.latestVersion()
            : Paging.intParam(ctx, "version", head.latestVersion(), 1, Integer.MAX_VALUE);
    DagStore.DagVersion version =
        versions.stream()
            .filter(v -> v.version() == wanted)
            .findFirst()
            .orElseThrow(
                () -> ApiException.notFound("DAG '" + head.dag() + "' has no version " + wanted));
    DagSpec spec = version.spec().withSuspended(head.suspended());
    ctx.json(
        new Detail(
            head.namespace(),
            head.name(),
            version.version(),
            head.latestVersion(),
            head.suspended(),
            MessageCodec.mapper().valueToTree(spec),
            versions.stream().map(v -> new VersionInfo(v.version(), v.publishedAt())).toList(),
            graph(spec)));
  }

  static Graph graph(DagSpec spec) {
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    for (TaskSpec t : spec.task()) {
      nodes.add(
          new Node(
              t.name(),
              t.image(),
              t.taskRef() == null ? null : t.taskRef().name() + ":" + t.taskRef().version()));
      t.runAfter().forEach(up -> edges.add(new Edge(up, t.name())));
    }
    return new Graph(nodes, edges);
  }

  private void delete(Context ctx) {
    service.delete(key(ctx));
    ctx.status(204);
  }

  private void suspend(Context ctx, boolean suspended) {
    DagStore.DagHead head = service.setSuspended(key(ctx), suspended);
    ctx.json(Map.of("dag", head.dag(), "suspended", head.suspended()));
  }

  private void listTasks(Context ctx) {
    ctx.json(Map.of("items", store.dagTasks(ctx.queryParam("namespace"))));
  }

  private void getTask(Context ctx) {
    String ns = ctx.pathParam("namespace");
    String name = ctx.pathParam("name");
    List<DagStore.DagTaskVersion> versions = store.dagTaskHistory(ns, name);
    if (versions.isEmpty()) {
      throw ApiException.notFound("no DagTask '" + ns + "/" + name + "'");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (DagStore.DagTaskVersion v : versions) {
      out.add(
          Map.of(
              "version",
              v.version(),
              "publishedAt",
              v.publishedAt(),
              "spec",
              MessageCodec.mapper().valueToTree(v.spec())));
    }
    ctx.json(Map.of("namespace", ns, "name", name, "versions", out));
  }
}

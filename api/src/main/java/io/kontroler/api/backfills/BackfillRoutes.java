package io.kontroler.api.backfills;

import io.javalin.http.Context;
import io.kontroler.api.auth.AccessGuard;
import io.kontroler.api.auth.Role;
import io.kontroler.api.dags.DagService;
import io.kontroler.api.dags.DagStore;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Bodies;
import io.kontroler.api.http.Paging;
import io.kontroler.api.http.Route;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.validate.Problem;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Backfills: ask for one over a range of a DAG's cron slots (the DAG's scheduler partition runs it
 * and reports its progress), list a DAG's, cancel one.
 */
public final class BackfillRoutes {
  private static final String DAG = "/api/v1/dags/{namespace}/{name}";

  /** The body of {@code POST .../backfill}: ISO-8601 instants, both included; maxActive >= 1. */
  record Request(String from, String to, Integer maxActive) {}

  private final DagService dags;
  private final DagStore dagStore;
  private final BackfillStore store;
  private final Publisher publisher;
  private final Bodies bodies;
  private final Clock clock;
  private final Supplier<String> ids;

  public BackfillRoutes(
      DagService dags,
      DagStore dagStore,
      BackfillStore store,
      Publisher publisher,
      Bodies bodies,
      Clock clock,
      Supplier<String> ids) {
    this.dags = dags;
    this.dagStore = dagStore;
    this.store = store;
    this.publisher = publisher;
    this.bodies = bodies;
    this.clock = clock;
    this.ids = ids;
  }

  public List<Route> routes() {
    return List.of(
        Route.post(
            DAG + "/backfill",
            Role.editor,
            "Run the DAG once per cron slot of a range, a few at once (from, to, maxActive)",
            this::request),
        Route.get(DAG + "/backfills", Role.viewer, "The DAG's backfills, newest first", this::list),
        Route.post(
            "/api/v1/backfills/{id}/cancel",
            Role.editor,
            "Stop a backfill and cancel its active runs",
            this::cancel));
  }

  private void request(Context ctx) {
    String dag = dagOf(ctx);
    DagStore.DagHead head = dags.liveHead(dag);
    Request body = bodies.json(ctx, Request.class);
    List<Problem> problems = new ArrayList<>();
    Instant from = instant(body.from(), "from", problems);
    Instant to = instant(body.to(), "to", problems);
    int maxActive = body.maxActive() == null ? 1 : body.maxActive();
    if (maxActive < 1) {
      problems.add(new Problem("maxActive", "expected at least 1, but got " + maxActive));
    }
    if (from != null && to != null && to.isBefore(from)) {
      problems.add(new Problem("to", "expected to >= from, but got " + to + " before " + from));
    }
    String schedule =
        dagStore.version(dag, head.latestVersion()).map(v -> v.spec().schedule()).orElse("");
    if (schedule.isBlank()) {
      problems.add(
          new Problem("dag", "expected a DAG with a schedule, but '" + dag + "' has none"));
    }
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(problems);
    }
    String id = ids.get();
    Instant now = clock.instant();
    String who = AccessGuard.principal(ctx).username();
    store.requested(
        new BackfillStore.Row(
            id, dag, from, to, maxActive, 0, 0, 0, 0, false, null, who, now, now));
    publisher.command(new Inbound.BackfillRequested(dag, id, from, to, maxActive, now));
    ctx.status(202).json(Map.of("backfillId", id));
  }

  private void list(Context ctx) {
    String dag = dagOf(ctx);
    dags.liveHead(dag);
    int limit = Paging.intParam(ctx, "limit", Paging.DEFAULT_LIMIT, 1, Paging.MAX_LIMIT);
    ctx.json(Map.of("items", store.ofDag(dag, limit)));
  }

  private void cancel(Context ctx) {
    String id = ctx.pathParam("id");
    BackfillStore.Row row =
        store.get(id).orElseThrow(() -> ApiException.notFound("no backfill '" + id + "'"));
    if (row.finished()) {
      throw ApiException.conflict(
          "Expected a backfill in progress, but backfill " + id + " has finished");
    }
    String who = AccessGuard.principal(ctx).username();
    publisher.command(new Inbound.CancelBackfill(row.dag(), id, "cancelled by " + who));
    ctx.status(202).json(Map.of("backfillId", id));
  }

  private static String dagOf(Context ctx) {
    return ctx.pathParam("namespace") + "/" + ctx.pathParam("name");
  }

  private static Instant instant(String text, String field, List<Problem> problems) {
    if (text == null || text.isBlank()) {
      problems.add(new Problem(field, "missing"));
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(
          new Problem(
              field,
              "expected an ISO-8601 instant (2026-10-01T00:00:00Z), but got '" + text + "'"));
      return null;
    }
  }
}

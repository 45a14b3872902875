package io.kontroler.api.history;

import io.javalin.http.Context;
import io.kontroler.api.auth.Role;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Bodies;
import io.kontroler.api.http.Route;
import io.kontroler.core.validate.Problem;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /admin/prune {before}}: deletes now, as history retention does over time, every final
 * run that finished before {@code before} (an instant, or a date meaning its start in UTC), with
 * its logs; answers how many runs went.
 */
public final class PruneRoutes {
  record PruneRequest(String before) {}

  private final HistoryPruner pruner;
  private final Bodies bodies;

  public PruneRoutes(HistoryPruner pruner, Bodies bodies) {
    this.pruner = pruner;
    this.bodies = bodies;
  }

  public List<Route> routes() {
    return List.of(
        Route.post(
            "/api/v1/admin/prune",
            Role.admin,
            "Delete the finished runs that ended before a time, with their logs",
            this::prune));
  }

  private void prune(Context ctx) {
    Instant before = parse(bodies.json(ctx, PruneRequest.class).before());
    int deleted = pruner.pruneAll(before);
    ctx.json(Map.of("before", before.toString(), "deleted", deleted));
  }

  /**
   * An ISO instant ({@code 2026-01-31T12:00:00Z}) or date ({@code 2026-01-31}, its start in UTC).
   */
  static Instant parse(String before) {
    if (before == null || before.isBlank()) {
      throw ApiException.badRequest(
          List.of(new Problem("before", "expected a date or an instant")));
    }
    try {
      return before.contains("T")
          ? Instant.parse(before.trim())
          : LocalDate.parse(before.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          List.of(
              new Problem(
                  "before",
                  "expected a date (2026-01-31) or an instant (2026-01-31T12:00:00Z), but got '"
                      + before
                      + "'")));
    }
  }
}

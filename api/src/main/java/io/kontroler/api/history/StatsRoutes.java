package io.kontroler.api.history;

import io.javalin.http.Context;
import io.kontroler.api.auth.Role;
import io.kontroler.api.http.Paging;
import io.kontroler.api.http.Route;
import java.time.Clock;
import java.util.List;

/** {@code GET /stats}: runs by phase over the last 30 days (or ?days=N), active runs, outcomes. */
public final class StatsRoutes {
  private final Stats stats;
  private final Clock clock;

  public StatsRoutes(Stats stats, Clock clock) {
    this.stats = stats;
    this.clock = clock;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(
            "/api/v1/stats",
            Role.viewer,
            "Dashboard figures: runs by day and phase, active runs, task outcomes",
            this::get));
  }

  private void get(Context ctx) {
    int days = Paging.intParam(ctx, "days", 30, 1, 366);
    ctx.json(stats.summary(clock.instant(), days));
  }
}

package io.kontroler.api.pools;

import io.javalin.http.Context;
import io.kontroler.api.auth.AccessGuard;
import io.kontroler.api.auth.Role;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Bodies;
import io.kontroler.api.http.Route;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import io.kontroler.core.validate.Problem;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Shared pools: an admin sets a pool's slots (the pool's owner in the scheduler applies it at
 * once); anyone signed in reads where each pool stands, as its owner last reported it. A pool is
 * not deleted: 0 slots holds every request.
 */
public final class PoolRoutes {
  private static final String POOL = "/api/v1/pools/{name}";

  /** The body of {@code PUT /api/v1/pools/{name}}. */
  record SetSlots(Integer slots) {}

  private final PoolStore store;
  private final Publisher publisher;
  private final Bodies bodies;
  private final Clock clock;

  public PoolRoutes(PoolStore store, Publisher publisher, Bodies bodies, Clock clock) {
    this.store = store;
    this.publisher = publisher;
    this.bodies = bodies;
    this.clock = clock;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(
            "/api/v1/pools",
            Role.viewer,
            "Every shared pool: slots, slots in use, attempts waiting",
            this::list),
        Route.get(
            POOL, Role.viewer, "A shared pool with the attempts holding its slots", this::get),
        Route.put(
            POOL,
            Role.admin,
            "Set a shared pool's slots (0 to " + PoolLimits.MAX_SLOTS + "; 0 holds every task)",
            this::set));
  }

  private void list(Context ctx) {
    ctx.json(Map.of("items", store.list()));
  }

  private void get(Context ctx) {
    String name = ctx.pathParam("name");
    ctx.json(
        store
            .find(name)
            .orElseThrow(() -> ApiException.notFound("no pool '" + name + "' was reported")));
  }

  private void set(Context ctx) {
    String name = ctx.pathParam("name");
    SetSlots body = bodies.json(ctx, SetSlots.class);
    List<Problem> problems = PoolLimits.check(name, body.slots());
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(problems);
    }
    PoolSlotsSet set =
        new PoolSlotsSet(
            name, body.slots(), AccessGuard.principal(ctx).username(), clock.instant());
    publisher.pool(set);
    ctx.status(202).json(set);
  }
}

package io.kontroler.api.webhooks;

import io.javalin.http.Context;
import io.kontroler.api.auth.AccessGuard;
import io.kontroler.api.auth.Role;
import io.kontroler.api.dags.DagService;
import io.kontroler.api.dags.DagStore;
import io.kontroler.api.http.Paging;
import io.kontroler.api.http.Route;
import java.util.List;
import java.util.Map;

/** Webhook deliveries with their outcomes, and each DAG's signing secret. */
public final class WebhookRoutes {
  private static final String SECRET = "/api/v1/dags/{namespace}/{name}/webhook-secret";

  private final DeliveryStore deliveries;
  private final DagService dags;
  private final DagStore dagStore;

  public WebhookRoutes(DeliveryStore deliveries, DagService dags, DagStore dagStore) {
    this.deliveries = deliveries;
    this.dags = dags;
    this.dagStore = dagStore;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(
            "/api/v1/webhooks/deliveries",
            Role.viewer,
            "Webhook deliveries, newest first (dag, run, status, limit); errors and answers for"
                + " admins only",
            this::list),
        Route.get(SECRET, Role.admin, "The DAG's webhook signing secret", this::secret),
        Route.post(SECRET + "/rotate", Role.admin, "Replace the webhook secret", this::rotate));
  }

  private void list(Context ctx) {
    int limit = Paging.intParam(ctx, "limit", Paging.DEFAULT_LIMIT, 1, Paging.MAX_LIMIT);
    boolean admin = AccessGuard.principal(ctx).role().atLeast(Role.admin);
    List<DeliveryStore.Delivery> found =
        deliveries.list(
            ctx.queryParam("dag"), ctx.queryParam("run"), ctx.queryParam("status"), limit);
    // what a receiver or the network answered may describe the inside of another system
    ctx.json(
        Map.of(
            "items",
            admin ? found : found.stream().map(DeliveryStore.Delivery::forViewer).toList()));
  }

  private void secret(Context ctx) {
    DagStore.DagHead head = dags.liveHead(dag(ctx));
    ctx.json(Map.of("dag", head.dag(), "secret", head.webhookSecret()));
  }

  private void rotate(Context ctx) {
    DagStore.DagHead head = dags.liveHead(dag(ctx));
    String secret = dags.newSecret();
    dagStore.rotateSecret(head.dag(), secret);
    ctx.json(Map.of("dag", head.dag(), "secret", secret));
  }

  private static String dag(Context ctx) {
    return ctx.pathParam("namespace") + "/" + ctx.pathParam("name");
  }
}

package io.kontroler.api.events;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.kontroler.api.auth.Role;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Route;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /events}: a server-sent-events stream of task ({@code event: task}) and run ({@code
 * event: run}) changes, all of them or those of {@code ?run=ID}. A comment every 15 seconds keeps
 * proxies from closing an idle stream and finds clients that left. Closing ends every stream.
 */
public final class EventRoutes implements AutoCloseable {
  private final EventBus bus;
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kontroler-sse-heartbeat");
            t.setDaemon(true);
            return t;
          });

  private final SseHandler sse = new SseHandler(0, this::stream);
  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();

  public EventRoutes(EventBus bus) {
    this.bus = bus;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(
            "/api/v1/events",
            Role.viewer,
            "Server-sent events of task and run changes (?run=ID for one run; send Accept:"
                + " text/event-stream)",
            this::handle));
  }

  private void handle(Context ctx) throws Exception {
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw new ApiException(406, "expected the header Accept: text/event-stream");
    }
    sse.handle(ctx);
  }

  private void stream(SseClient client) {
    String run = client.ctx().queryParam("run");
    client.keepAlive();
    Object lock = new Object();
    EventBus.Subscription sub =
        bus.subscribe(
            run,
            e -> {
              synchronized (lock) {
                if (client.terminated()) {
                  throw new IllegalStateException("client gone");
                }
                client.sendEvent(e.name(), e.json(), null);
              }
            });
    var beat =
        heartbeat.scheduleAtFixedRate(
            () -> {
              synchronized (lock) {
                if (!client.terminated()) {
                  client.sendComment("keep-alive");
                }
              }
            },
            15,
            15,
            TimeUnit.SECONDS);
    clients.add(client);
    client.onClose(
        () -> {
          clients.remove(client);
          sub.close();
          beat.cancel(false);
        });
    synchronized (lock) {
      client.sendComment("connected");
    }
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    clients.forEach(SseClient::close);
  }
}

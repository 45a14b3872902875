package io.kontroler.api.events;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.kontroler.api.auth.AccessGuard;
import io.kontroler.api.auth.Role;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.LiveStreams;
import io.kontroler.api.http.Route;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /events}: a server-sent-events stream of task ({@code event: task}) and run ({@code
 * event: run}) changes, all of them or those of {@code ?run=ID}. Each stream is a {@link
 * LiveStreams live stream} (bounded per user and in all) with its own bounded {@link Outbox}: the
 * history projection only queues, and a client that falls further behind than the queue is
 * disconnected. A comment every heartbeat keeps proxies from closing an idle stream and finds
 * clients that left. Closing ends every stream.
 */
public final class EventRoutes implements AutoCloseable {
  private final EventBus bus;
  private final LiveStreams streams;
  private final int queue;
  private final Duration heartbeat;
  private final ScheduledExecutorService beats =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kontroler-sse-heartbeat");
            t.setDaemon(true);
            return t;
          });

  private final SseHandler sse = new SseHandler(0, this::stream);
  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();

  public EventRoutes(EventBus bus, LiveStreams streams, int queue, Duration heartbeat) {
    this.bus = bus;
    this.streams = streams;
    this.queue = queue;
    this.heartbeat = heartbeat;
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
    LiveStreams.Permit permit = streams.acquire(AccessGuard.principal(ctx).username());
    ctx.attribute(Permit.KEY, new Permit(permit));
    try {
      sse.handle(ctx);
    } catch (Exception e) {
      permit.close();
      throw e;
    }
  }

  /** The stream's place among the live streams, handed from the handler to the stream. */
  private record Permit(LiveStreams.Permit held) {
    static final String KEY = "kontroler.stream-permit";
  }

  private void stream(SseClient client) {
    Permit permit = client.ctx().attribute(Permit.KEY);
    String run = client.ctx().queryParam("run");
    client.keepAlive();
    Outbox outbox = new Outbox(client, queue, streams.executor());
    EventBus.Subscription sub = bus.subscribe(run, outbox::offer);
    var beat =
        beats.scheduleAtFixedRate(
            outbox::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    clients.add(client);
    client.onClose(
        () -> {
          clients.remove(client);
          sub.close();
          beat.cancel(false);
          if (permit != null) {
            permit.held().close();
          }
        });
    outbox.comment("connected");
  }

  public int clientCount() {
    return clients.size();
  }

  @Override
  public void close() {
    beats.shutdownNow();
    clients.forEach(SseClient::close);
  }
}

package io.kontroler.api;

import io.javalin.Javalin;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.kontroler.api.auth.AccessGuard;
import io.kontroler.api.auth.Accounts;
import io.kontroler.api.auth.AuthRoutes;
import io.kontroler.api.auth.Authenticator;
import io.kontroler.api.auth.InitialAdmin;
import io.kontroler.api.auth.LoginThrottle;
import io.kontroler.api.auth.OidcBearer;
import io.kontroler.api.auth.OidcProvider;
import io.kontroler.api.auth.OidcSignIn;
import io.kontroler.api.auth.Passwords;
import io.kontroler.api.auth.Role;
import io.kontroler.api.auth.UserRoutes;
import io.kontroler.api.backfills.BackfillRoutes;
import io.kontroler.api.backfills.BackfillStore;
import io.kontroler.api.dags.CatalogProjection;
import io.kontroler.api.dags.DagRoutes;
import io.kontroler.api.dags.DagService;
import io.kontroler.api.dags.DagStore;
import io.kontroler.api.dags.Submissions;
import io.kontroler.api.db.Database;
import io.kontroler.api.events.EventBus;
import io.kontroler.api.events.EventRoutes;
import io.kontroler.api.health.Readiness;
import io.kontroler.api.history.HistoryPruner;
import io.kontroler.api.history.HistoryRetention;
import io.kontroler.api.history.Projection;
import io.kontroler.api.history.PruneRoutes;
import io.kontroler.api.history.Stats;
import io.kontroler.api.history.StatsRoutes;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Bodies;
import io.kontroler.api.http.BrowserGuard;
import io.kontroler.api.http.ErrorBody;
import io.kontroler.api.http.Json;
import io.kontroler.api.http.LiveStreams;
import io.kontroler.api.http.OpenApi;
import io.kontroler.api.http.Route;
import io.kontroler.api.kafka.CatalogConsumer;
import io.kontroler.api.kafka.KafkaPublisher;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.api.kafka.RunEventsConsumer;
import io.kontroler.api.logs.LogRoutes;
import io.kontroler.api.metrics.ApiMetrics;
import io.kontroler.api.metrics.ConsumerLag;
import io.kontroler.api.pools.PoolDefinitions;
import io.kontroler.api.pools.PoolRoutes;
import io.kontroler.api.pools.PoolStore;
import io.kontroler.api.runs.RunRoutes;
import io.kontroler.api.runs.RunService;
import io.kontroler.api.runs.RunStore;
import io.kontroler.api.webhooks.DeliveryStore;
import io.kontroler.api.webhooks.WebhookOutbox;
import io.kontroler.api.webhooks.WebhookRoutes;
import io.kontroler.api.webhooks.WebhookTargets;
import io.kontroler.api.webhooks.Webhooks;
import io.kontroler.broker.loop.LoopHealth;
import io.kontroler.broker.loop.LoopMetrics;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.logstore.LogStore;
import io.kontroler.logstore.LogStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The api server: REST under {@code /api/v1}, the UI at {@code /}, {@code /metrics}, the history
 * projection of {@code kontroler.run-events} (runs and shared pools), the catalog reader of {@code
 * kontroler.dags}, the webhook sender, the pruning of runs past the history retention and the pools
 * declared in {@code api.pools}. {@link #start()} returns the bound port; {@link #close()} stops
 * everything.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final String UI = "/kontroler-ui";

  /**
   * What the server talks to besides its database. {@link #kafka(ApiConfig)} is the production
   * wiring; tests give a publisher of their own and no Kafka consumers.
   *
   * @param publisher where commands and catalog records go
   * @param logStore where attempt logs are read
   * @param consumeKafka whether to run the run-events projection, catalog reader and lag gauges
   * @param clock the time of records and tokens
   */
  public record Adapters(
      Publisher publisher, LogStore logStore, boolean consumeKafka, Clock clock) {

    public static Adapters kafka(ApiConfig config) {
      return new Adapters(
          new KafkaPublisher(clientProperties(config), config.topics()),
          LogStores.open(config.logStore()),
          true,
          Clock.systemUTC());
    }
  }

  private final ApiConfig config;
  private final Adapters adapters;
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final List<HandlerMetaInfo> registered = new CopyOnWriteArrayList<>();
  private final LoopHealth loops = new LoopHealth();
  private List<Route> routes = List.of();
  private Projection projection;
  private PoolStore pools;
  private CatalogProjection catalog;
  private Database database;
  private Readiness readiness;

  public ApiServer(ApiConfig config) {
    this(config, Adapters.kafka(config));
  }

  public ApiServer(ApiConfig config, Adapters adapters) {
    this.config = config;
    this.adapters = adapters;
  }

  /** The parts of a running server, wired once in {@link #start()}. */
  private record Parts(
      Accounts accounts,
      Authenticator authenticator,
      OidcProvider oidc,
      DagStore dagStore,
      RunStore runStore,
      DagService dags,
      RunService runs,
      ApiMetrics metrics,
      DeliveryStore deliveries,
      Webhooks webhooks,
      EventRoutes events,
      LiveStreams streams,
      HistoryPruner pruner) {}

  /** Starts everything; returns the port the server listens on. */
  public synchronized int start() {
    LOG.info("Starting the api with {}", config);
    closeables.push(adapters.publisher());
    closeables.push(adapters.logStore());
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the data directory " + config.dataDir(), e);
    }
    database =
        Database.open(
            config.jdbcUrl(),
            config.databaseUser(),
            config.databasePassword(),
            config.databasePool());
    closeables.push(database);
    readiness = new Readiness(database, loops, Duration.ofMillis(800));
    closeables.push(readiness);
    Parts parts = wire(adapters.clock(), new SecureRandom());
    routes = routeTable(parts);

    Javalin app =
        javalin(
            new AccessGuard(parts.authenticator()),
            new BrowserGuard(config.security().allowedOrigins()));
    closeables.push(app::stop);
    closeables.push(parts.streams());
    closeables.push(parts.events());
    app.start(config.host(), config.port());
    int port = app.port();

    supervise(parts.webhooks().loop(), parts.metrics());
    if (!config.pools().isEmpty()) {
      supervise(
          new PoolDefinitions(config.pools(), adapters.publisher(), adapters.clock()).loop(),
          parts.metrics());
    }
    if (config.history().enabled()) {
      HistoryRetention retention =
          new HistoryRetention(
              parts.pruner(),
              config.history().retention(),
              config.history().interval(),
              adapters.clock());
      supervise(retention.loop(), parts.metrics());
    }
    if (adapters.consumeKafka()) {
      startKafka(parts.metrics());
    }
    LOG.info(
        "Kontroler api listening on http://{}:{}/ ({} routes)", config.host(), port, routes.size());
    return port;
  }

  private Parts wire(Clock clock, SecureRandom random) {
    Passwords passwords = new Passwords(config.passwordIterations(), random);
    Accounts accounts = new Accounts(database, passwords, random, clock);
    InitialAdmin.ensure(accounts, passwords, config.adminPassword(), config.dataDir());
    OidcProvider oidc = null;
    Authenticator authenticator = accounts::authenticate;
    if (config.oidc().enabled()) {
      // the provider's discovery is read again later if it does not answer now
      oidc = new OidcProvider(config.oidc(), clock, Duration.ofSeconds(10));
      oidc.start();
      authenticator = Authenticator.firstOf(accounts::authenticate, new OidcBearer(oidc, accounts));
    }
    DagStore dagStore = new DagStore(database);
    RunStore runStore = new RunStore(database);
    Submissions submissions = new Submissions(config.submissionTimeout());
    WebhookTargets targets = new WebhookTargets(config.webhookAllowHosts());
    DagService dags =
        new DagService(
            dagStore,
            adapters.publisher(),
            submissions,
            targets,
            clock,
            random,
            config.podPolicy());
    catalog = new CatalogProjection(database, dags::newSecret, submissions, clock);
    RunService runs =
        new RunService(dags, dagStore, runStore, adapters.publisher(), clock, config.retryWindow());
    ApiMetrics metrics = new ApiMetrics(clock);
    EventBus bus = new EventBus();
    DeliveryStore deliveries = new DeliveryStore(database);
    // deliveries are timers: created, due and retried in real time, whatever the records' clock
    Clock wall = Clock.systemUTC();
    Webhooks webhooks =
        new Webhooks(
            deliveries,
            dagStore,
            wall,
            config.webhookMaxAttempts(),
            config.webhookInitialBackoff(),
            config.webhookTimeout(),
            targets,
            config.webhookLanes());
    closeables.push(webhooks);
    projection = new Projection(database, new WebhookOutbox(wall), List.of(metrics, webhooks, bus));
    pools = new PoolStore(database);
    var limits = config.security();
    LiveStreams streams = new LiveStreams(limits.maxStreams(), limits.maxStreamsPerUser());
    return new Parts(
        accounts,
        authenticator,
        oidc,
        dagStore,
        runStore,
        dags,
        runs,
        metrics,
        deliveries,
        webhooks,
        new EventRoutes(bus, streams, limits.streamQueue(), limits.streamHeartbeat()),
        streams,
        new HistoryPruner(
            database, adapters.logStore(), config.history().batchSize(), metrics.registry()));
  }

  private List<Route> routeTable(Parts p) {
    Bodies bodies = new Bodies(config.maxBodyBytes());
    Clock clock = adapters.clock();
    List<Route> table = new ArrayList<>();
    table.add(
        Route.get(
            "/api/v1/health",
            null,
            "Readiness: the database answers and every loop runs (503 names what does not)",
            this::health));
    table.add(Route.get("/api/v1/health/ready", null, "The same as /api/v1/health", this::health));
    table.add(
        Route.get(
            "/api/v1/health/live",
            null,
            "Liveness: the server answers, whatever its database",
            ctx -> ctx.json(Map.of("status", "UP"))));
    table.add(
        Route.get(
            "/api/v1/openapi.json",
            null,
            "This OpenAPI document",
            ctx -> ctx.json(OpenApi.document(routes, "v1"))));
    table.addAll(
        new AuthRoutes(
                p.accounts(),
                new LoginThrottle(
                    clock,
                    config.security().loginFreeFailures(),
                    config.security().loginMaxDelay()),
                bodies,
                config.tokenTtl(),
                config.security().maxTokenTtl(),
                config.secureCookie())
            .withSingleSignOn(
                p.authenticator(), p.oidc() == null ? null : p.oidc().config().buttonName())
            .routes());
    if (p.oidc() != null) {
      table.addAll(
          new OidcSignIn(p.oidc(), p.accounts(), bodies, config.tokenTtl(), config.secureCookie())
              .routes());
    }
    table.addAll(new UserRoutes(p.accounts(), bodies).routes());
    table.addAll(new DagRoutes(p.dags(), p.dagStore(), bodies).routes());
    table.addAll(new RunRoutes(p.runs(), p.runStore(), p.dagStore(), bodies).routes());
    table.addAll(
        new LogRoutes(
                adapters.logStore(),
                p.runs(),
                p.runStore(),
                p.dagStore(),
                p.streams(),
                Duration.ofMillis(500),
                config.security().streamHeartbeat())
            .routes());
    table.addAll(new WebhookRoutes(p.deliveries(), p.dags(), p.dagStore()).routes());
    table.addAll(new StatsRoutes(new Stats(database), clock).routes());
    table.addAll(p.events().routes());
    table.addAll(
        new BackfillRoutes(
                p.dags(),
                p.dagStore(),
                new BackfillStore(database),
                adapters.publisher(),
                bodies,
                clock,
                () -> UUID.randomUUID().toString())
            .routes());
    table.add(
        Route.get(
            "/metrics",
            Role.viewer,
            "Metrics in the Prometheus text format",
            ctx ->
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(p.metrics().scrape())));
    table.addAll(new PruneRoutes(p.pruner(), bodies).routes());
    table.addAll(new PoolRoutes(pools, adapters.publisher(), bodies, clock).routes());
    return List.copyOf(table);
  }

  private Javalin javalin(AccessGuard guard, BrowserGuard browser) {
    boolean ui = ApiServer.class.getResource(UI + "/index.html") != null;
    Javalin app =
        Javalin.create(
            c -> {
              c.showJavalinBanner = false;
              c.http.maxRequestSize = config.maxBodyBytes();
              c.jsonMapper(new JavalinJackson(Json.MAPPER, false));
              c.events.handlerAdded(registered::add);
              if (ui) {
                c.staticFiles.add(
                    s -> {
                      s.hostedPath = "/";
                      s.directory = UI;
                      s.location = Location.CLASSPATH;
                    });
                c.spaRoot.addHandler("/", this::spa);
              }
            });
    app.before(
        ctx -> {
          browser.headers(ctx);
          if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
          }
        });
    app.beforeMatched(browser::check);
    app.beforeMatched(guard);
    for (Route r : routes) {
      if (r.isPublic()) {
        app.addHttpHandler(r.method(), r.path(), r.handler());
      } else {
        app.addHttpHandler(r.method(), r.path(), r.handler(), r.role());
      }
    }
    app.exception(
        ApiException.class, (e, ctx) -> ctx.status(e.status()).json(new ErrorBody(e.problems())));
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> ctx.status(e.getStatus()).json(ErrorBody.of(e.getMessage())));
    app.exception(
        Publisher.PublishException.class,
        (e, ctx) -> {
          LOG.error("Publishing failed on {} {}", ctx.method(), ctx.path(), e);
          ctx.status(503).json(ErrorBody.of("Kafka is unavailable; nothing was changed"));
        });
    app.exception(
        Database.DatabaseException.class,
        (e, ctx) -> {
          if (e.unavailable()) {
            LOG.warn("History database unavailable on {} {}: {}", ctx.method(), ctx.path(), e);
            ctx.status(503).json(ErrorBody.of("the history database is unavailable; try again"));
          } else {
            LOG.error("Database failure on {} {}", ctx.method(), ctx.path(), e);
            ctx.status(500).json(ErrorBody.of("internal error"));
          }
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
          ctx.status(500).json(ErrorBody.of("internal error"));
        });
    app.error(
        404,
        ctx -> {
          if (ctx.path().startsWith("/api/") && ctx.result() == null) {
            ctx.json(ErrorBody.of("no route " + ctx.method() + " " + ctx.path()));
          }
        });
    return app;
  }

  private void spa(io.javalin.http.Context ctx) {
    if (ctx.path().startsWith("/api/") || ctx.path().equals("/metrics")) {
      ctx.status(404).json(ErrorBody.of("no route " + ctx.method() + " " + ctx.path()));
      return;
    }
    var index = ApiServer.class.getResourceAsStream(UI + "/index.html");
    ctx.contentType("text/html; charset=utf-8").result(index);
  }

  private void health(io.javalin.http.Context ctx) {
    Readiness.Report r = readiness.check();
    // anyone may ask: name the loop and its state, keep the error (hosts, ports) for the log
    List<Map<String, String>> loops =
        r.loops().stream()
            .map(p -> Map.of("loop", p.loop(), "state", p.reason().split(":", 2)[0]))
            .toList();
    ctx.status(r.ready() ? 200 : 503)
        .json(
            Map.of("status", r.ready() ? "UP" : "DOWN", "database", r.database(), "loops", loops));
  }

  /** Starts {@code loop} under readiness and metrics; stopped with the server. */
  private void supervise(SupervisedLoop loop, ApiMetrics metrics) {
    loops.watch(loop);
    LoopMetrics.register(loop, loops, metrics.registry());
    closeables.push(loop);
    loop.start();
  }

  private void startKafka(ApiMetrics metrics) {
    Properties props = clientProperties(config);
    supervise(
        RunEventsConsumer.loop(
            props, config.topics().runEvents(), config.consumerGroup(), projection, pools),
        metrics);
    supervise(new CatalogConsumer(props, config.topics().dags(), catalog).loop(), metrics);
    ConsumerLag lag = new ConsumerLag(props, config.lagGroups(), metrics.registry());
    closeables.push(lag);
    lag.start();
  }

  static Properties clientProperties(ApiConfig config) {
    return config.kafka().clientProperties();
  }

  /** The route table: every endpoint with its least role. */
  public List<Route> routes() {
    return routes;
  }

  /** Every handler Javalin registered, as Javalin reports them. */
  public List<HandlerMetaInfo> registeredHandlers() {
    return List.copyOf(registered);
  }

  /** The catalog projection, to feed catalog records from elsewhere than Kafka. */
  public CatalogProjection catalog() {
    return catalog;
  }

  /** The shared pools' projection, to feed their status from elsewhere than Kafka. */
  public PoolStore pools() {
    return pools;
  }

  /** The history projection, to feed run events from elsewhere than Kafka. */
  public Projection projection() {
    return projection;
  }

  @Override
  public synchronized void close() {
    while (!closeables.isEmpty()) {
      AutoCloseable c = closeables.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Stopping {} failed: {}", c, e.toString());
      }
    }
  }
}

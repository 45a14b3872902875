package io.kontroler.ingest;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kontroler.broker.loop.LoopHealth;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.ingest.catalog.CatalogView;
import io.kontroler.ingest.cron.CronFires;
import io.kontroler.ingest.cron.CronSchedules;
import io.kontroler.ingest.cron.QuartzSchedulers;
import io.kontroler.ingest.k8s.KubernetesController;
import io.kontroler.ingest.k8s.LeadingController;
import io.kontroler.ingest.k8s.RunEventFeed;
import io.kontroler.ingest.kafka.KafkaOutbox;
import io.kontroler.ingest.kafka.Records;
import io.kontroler.ingest.kafka.TopicFollower;
import io.kontroler.ingest.kafka.TriggerForwarder;
import io.kontroler.ingest.kafka.TriggerTopic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-ingest component: follows {@code kontroler.dags}, fires cron schedules through Quartz,
 * forwards the trigger topic, and (when enabled) runs the Kubernetes controller, which follows
 * {@code kontroler.run-events} while it leads. Every loop is supervised; {@link #problems()} names
 * the ones that are not healthy. {@link #close()} stops everything in reverse order.
 */
public final class Ingest implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final CatalogView catalog = new CatalogView();
  private final LoopHealth loops = new LoopHealth();
  private CronSchedules cron;
  private LeadingController controller;

  private Ingest() {}

  /** Starts with a Kubernetes client from the environment when the controller is enabled. */
  public static Ingest start(IngestConfig config) {
    KubernetesClient client =
        config.kubernetes().enabled() ? new KubernetesClientBuilder().build() : null;
    return start(config, client, client);
  }

  /**
   * Starts with the given Kubernetes client (used only when the controller is enabled); the caller
   * closes the client after the ingest.
   */
  public static Ingest start(IngestConfig config, KubernetesClient client) {
    return start(config, client, null);
  }

  private static Ingest start(IngestConfig config, KubernetesClient client, AutoCloseable owned) {
    LOG.info("Starting the ingest: {}", config);
    Ingest ingest = new Ingest();
    if (owned != null) {
      ingest.keep(owned); // closed last, after everything that uses it
    }
    try {
      ingest.run(config, client);
      return ingest;
    } catch (RuntimeException e) {
      ingest.close();
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ingest.close();
      throw new IllegalStateException("Interrupted while starting the ingest", e);
    }
  }

  private void run(IngestConfig config, KubernetesClient client) throws InterruptedException {
    String id = config.instanceId();
    Clock clock = Clock.systemUTC();
    KafkaOutbox outbox =
        keep(new KafkaOutbox(config.kafka(), config.topics(), "kontroler-ingest-" + id));
    TopicFollower dags =
        keep(
            new TopicFollower(
                config.kafka(),
                config.topics().dags(),
                "kontroler-ingest-dags-" + id,
                r -> Records.catalog(r).ifPresent(catalog::apply)));
    loops.watch(dags.loop());
    dags.start();
    awaitCaughtUp(dags, config);

    cron = keep(new CronSchedules(scheduler(config, new CronFires(outbox, clock))));
    catalog.addListener(cron::apply);
    cron.sync(catalog::dags);
    cron.start();

    if (!config.triggerTopic().isEmpty()) {
      TriggerTopic.ensure(config.kafka(), config.triggerTopic(), config.topics().commands());
      TriggerForwarder triggers =
          keep(
              new TriggerForwarder(
                  config.kafka(), config.triggerTopic(), "kontroler-ingest", outbox, clock));
      loops.watch(triggers.loop());
      triggers.start();
    }
    if (config.kubernetes().enabled()) {
      String leaseNamespace = config.kubernetes().leaseNamespace();
      if (leaseNamespace.isEmpty()) {
        leaseNamespace = client.getNamespace() == null ? "default" : client.getNamespace();
      }
      RunEventFeed runEvents = (handler, timeout) -> followRunEvents(config, handler, timeout);
      controller =
          keep(
              new LeadingController(
                  client,
                  LeadingController.Election.of(leaseNamespace, id),
                  () ->
                      new KubernetesController(
                          client,
                          config.kubernetes().namespaces(),
                          outbox,
                          catalog,
                          clock,
                          runEvents,
                          config.kubernetes().podPolicy()),
                  config.startupTimeout()));
      controller.start();
    }
    LOG.info("The ingest is running");
  }

  private Scheduler scheduler(IngestConfig config, CronFires fires) {
    IngestConfig.Quartz q = config.quartz();
    if (q.mode() == IngestConfig.QuartzMode.memory) {
      return QuartzSchedulers.memory(
          config.instanceId(), fires, q.threads(), q.misfireThresholdMillis());
    }
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(q.jdbcUrl());
    pool.setUsername(q.jdbcUser());
    pool.setPassword(q.jdbcPassword());
    pool.setMaximumPoolSize(q.threads() + 3);
    pool.setPoolName("kontroler-quartz");
    HikariDataSource dataSource = keep(new HikariDataSource(pool));
    return QuartzSchedulers.jdbc(
        dataSource,
        new QuartzSchedulers.Cluster(
            config.instanceId(), q.clusterCheckinMillis(), q.misfireThresholdMillis()),
        fires,
        q.threads());
  }

  /** A follower of run-events from the beginning, for the controller while it leads. */
  private static Optional<SupervisedLoop> followRunEvents(
      IngestConfig config, Consumer<Notification> handler, Duration timeout)
      throws InterruptedException {
    TopicFollower follower =
        new TopicFollower(
            config.kafka(),
            config.topics().runEvents(),
            "kontroler-ingest-run-events-" + config.instanceId(),
            r -> Records.notification(r).ifPresent(handler));
    follower.start();
    if (!follower.awaitCaughtUp(timeout)) {
      follower.close();
      throw new IllegalStateException(
          "Expected to read " + config.topics().runEvents() + " within " + timeout);
    }
    return Optional.of(follower.loop());
  }

  private static void awaitCaughtUp(TopicFollower follower, IngestConfig config)
      throws InterruptedException {
    if (!follower.awaitCaughtUp(config.startupTimeout())) {
      throw new IllegalStateException(
          "Expected to read the catalog within " + config.startupTimeout());
    }
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.push(resource);
    return resource;
  }

  /** The DAG versions this node knows. */
  public CatalogView catalog() {
    return catalog;
  }

  /**
   * The loops of this node that are not healthy now (dead, failing or stalled), each named, with
   * its failures counted in {@link #loops()}; empty when the ingest is ready.
   */
  public List<LoopHealth.Problem> problems() {
    List<LoopHealth.Problem> problems = new ArrayList<>(loops.problems());
    if (controller != null) {
      problems.addAll(controller.problems());
    }
    return problems;
  }

  /** Every loop's status, with how many times it failed. */
  public List<SupervisedLoop.Status> loops() {
    return loops.statuses();
  }

  /** The cron schedules of this node. */
  public CronSchedules schedules() {
    return cron;
  }

  @Override
  public void close() {
    while (!resources.isEmpty()) {
      AutoCloseable resource = resources.pop();
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed", resource.getClass().getSimpleName(), e);
      }
    }
  }
}

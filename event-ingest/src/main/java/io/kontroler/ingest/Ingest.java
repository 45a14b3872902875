package io.kontroler.ingest;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kontroler.ingest.catalog.CatalogView;
import io.kontroler.ingest.cron.CronFires;
import io.kontroler.ingest.cron.CronSchedules;
import io.kontroler.ingest.cron.QuartzSchedulers;
import io.kontroler.ingest.k8s.KubernetesController;
import io.kontroler.ingest.k8s.LeadingController;
import io.kontroler.ingest.kafka.KafkaOutbox;
import io.kontroler.ingest.kafka.Records;
import io.kontroler.ingest.kafka.TopicFollower;
import io.kontroler.ingest.kafka.TriggerForwarder;
import io.kontroler.ingest.kafka.TriggerTopic;
import io.kontroler.ingest.runs.RunBook;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-ingest component: follows {@code kontroler.dags} and {@code kontroler.run-events},
 * fires cron schedules through Quartz, forwards the trigger topic, and (when enabled) runs the
 * Kubernetes controller. {@link #close()} stops everything in reverse order.
 */
public final class Ingest implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final CatalogView catalog = new CatalogView();
  private final RunBook runs = new RunBook();
  private CronSchedules cron;

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
    TopicFollower events =
        keep(
            new TopicFollower(
                config.kafka(),
                config.topics().runEvents(),
                "kontroler-ingest-run-events-" + id,
                r -> Records.notification(r).ifPresent(runs::apply)));
    dags.start();
    events.start();
    awaitCaughtUp(dags, config);
    awaitCaughtUp(events, config);

    cron = keep(new CronSchedules(scheduler(config, new CronFires(outbox, runs, clock))));
    catalog.addListener(cron::apply);
    cron.sync(catalog::dags);
    cron.start();

    if (!config.triggerTopic().isEmpty()) {
      TriggerTopic.ensure(config.kafka(), config.triggerTopic(), config.topics().commands());
      keep(
          new TriggerForwarder(
                  config.kafka(), config.triggerTopic(), "kontroler-ingest", outbox, clock)
              .start());
    }
    if (config.kubernetes().enabled()) {
      String leaseNamespace = config.kubernetes().leaseNamespace();
      if (leaseNamespace.isEmpty()) {
        leaseNamespace = client.getNamespace() == null ? "default" : client.getNamespace();
      }
      keep(new LeadingController(
              client,
              LeadingController.Election.of(leaseNamespace, id),
              () ->
                  new KubernetesController(
                      client,
                      config.kubernetes().namespaces(),
                      outbox,
                      catalog,
                      runs,
                      clock,
                      config.kubernetes().podPolicy()),
              config.startupTimeout()))
          .start();
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

  private static void awaitCaughtUp(TopicFollower follower, IngestConfig config)
      throws InterruptedException {
    if (!follower.awaitCaughtUp(config.startupTimeout())) {
      throw new IllegalStateException(
          "Expected to read the catalog and run events within " + config.startupTimeout());
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

  /** The runs this node knows. */
  public RunBook runs() {
    return runs;
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

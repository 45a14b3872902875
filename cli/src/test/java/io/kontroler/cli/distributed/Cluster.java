package io.kontroler.cli.distributed;

import static org.awaitility.Awaitility.await;

import io.kontroler.core.message.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kontroler deployed as in production, on one machine: three Kafka nodes, two schedulers and two
 * process executors, each a JVM of its own; the api in this JVM on PostgreSQL; plus the test's own
 * instruments (the {@link Ledger}, a committed reader of {@link RunEvents}, a producer of run
 * requests). {@link #heal()} brings it back to full strength after a fault.
 */
final class Cluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
  static final int PARTITIONS = 6;
  private static final Duration START = Duration.ofSeconds(120);

  final Path root;
  final Path logs;
  final KafkaCluster kafka;
  final List<KontrolerProcess> schedulers = new ArrayList<>();
  final List<KontrolerProcess> executors = new ArrayList<>();
  final HistoryDatabase database;
  final ApiNode api;
  final Ledger ledger;
  final RunEvents runEvents;
  final RunRequests requests;
  private int executorsStarted;

  private Cluster(Path root, Path logs) {
    this.root = root;
    this.logs = logs;
    this.kafka = KafkaCluster.start(root.resolve("kafka"), logs);
    kafka.createTopics(Topics.DEFAULT, PARTITIONS);
    this.database = HistoryDatabase.start(root.resolve("postgres"));
    this.ledger = Ledger.create(root.resolve("ledger"));
    for (int i = 1; i <= 2; i++) {
      schedulers.add(scheduler(i));
      executors.add(executor());
    }
    this.api =
        ApiNode.start(
            Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "api.data.dir", root.resolve("api").toString(),
                "api.db.url", database.jdbcUrl(),
                "api.db.user", "postgres"));
    this.runEvents = new RunEvents(kafka.bootstrapServers(), Topics.DEFAULT.runEvents());
    this.requests = new RunRequests(kafka.bootstrapServers(), Topics.DEFAULT.commands());
    awaitHealthy();
  }

  /** Starts everything in {@code root}, logs of the processes in {@code logs}. */
  static Cluster start(Path root, Path logs) throws java.io.IOException {
    Files.createDirectories(root);
    return new Cluster(root, logs);
  }

  private KontrolerProcess scheduler(int i) {
    String name = "scheduler-" + i;
    return KontrolerProcess.start(
        name,
        "scheduler",
        Map.of(
            "kafka.bootstrap.servers",
            kafka.bootstrapServers(),
            "scheduler.partitions",
            String.valueOf(PARTITIONS),
            "scheduler.replication.factor",
            String.valueOf(KafkaCluster.NODES),
            "scheduler.create.topics",
            "false",
            "scheduler.standby.replicas",
            "1",
            "scheduler.state.dir",
            root.resolve(name).resolve("streams").toString(),
            // The README's fast-failover sessions, which the brokers above allow.
            "scheduler.session.timeout.ms",
            "3000",
            "scheduler.heartbeat.interval.ms",
            "750"),
        logs);
  }

  /** A new executor with data of its own: a pod scheduled anew, not a restarted one. */
  private KontrolerProcess executor() {
    String name = "executor-" + (++executorsStarted);
    return KontrolerProcess.start(
        name,
        "executor",
        Map.of(
            "kafka.bootstrap.servers",
            kafka.bootstrapServers(),
            "executor.id",
            name,
            "executor.data.dir",
            root.resolve(name).toString(),
            "executor.in.flight.limit",
            "64",
            "kafka.session.timeout.ms",
            "3000",
            "kafka.heartbeat.interval.ms",
            "750"),
        logs);
  }

  /**
   * Back to full strength: every Kafka node up with every partition in sync, PostgreSQL up, both
   * schedulers restarted where they died, a new executor for each one that died (those are never
   * restarted), the api healthy; then waits until all of it is healthy.
   */
  void heal() {
    kafka.heal();
    database.startServer();
    for (KontrolerProcess s : schedulers) {
      s.restart();
    }
    List<KontrolerProcess> dead = executors.stream().filter(e -> !e.isAlive()).toList();
    executors.removeAll(dead);
    dead.forEach(d -> executors.add(executor()));
    if (!api.healthy()) {
      LOG.warn("The api is not healthy after the fault; restarting it for the next one");
      api.restart();
    }
    awaitHealthy();
  }

  private void awaitHealthy() {
    List<KontrolerProcess> all = new ArrayList<>(schedulers);
    all.addAll(executors);
    CompletableFuture.allOf(
            all.stream()
                .map(p -> CompletableFuture.runAsync(() -> p.awaitHealthy(START)))
                .toArray(CompletableFuture[]::new))
        .join();
    await("the api healthy").atMost(START).until(api::healthy);
  }

  @Override
  public void close() {
    closeQuietly(requests);
    closeQuietly(runEvents);
    closeQuietly(api);
    executors.forEach(KontrolerProcess::stop);
    schedulers.forEach(KontrolerProcess::stop);
    closeQuietly(kafka);
    closeQuietly(database);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("Could not close {}", c, e);
    }
  }
}

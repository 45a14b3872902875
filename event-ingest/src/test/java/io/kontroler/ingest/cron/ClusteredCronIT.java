package io.kontroler.ingest.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kontroler.core.dag.ConcurrencyPolicy;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.ingest.Outbox;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two ingest nodes on one PostgreSQL, as in production: Quartz's clustered JDBC store. One schedule
 * fires every second; the fires are counted over a fixed window of 60 scheduled seconds, across the
 * death of the node that holds the trigger.
 */
class ClusteredCronIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusteredCronIT.class);
  private static final String DAG = "default/every-second";
  private static final int WINDOW_SECONDS = 60;

  private static EmbeddedPostgres postgres;

  private final List<Fired> fired = new ArrayList<>();
  private static int databases;

  private final List<AutoCloseable> closing = new ArrayList<>();
  private String database;

  private record Fired(String node, RunRequested request) {}

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  /** Each test its own database, so that no schedule of another test fires in it. */
  @BeforeEach
  void createDatabase() throws Exception {
    database = "quartz" + (++databases);
    try (var connection = postgres.getPostgresDatabase().getConnection();
        var statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    }
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void theJdbcStoreKeepsOneUnixCronTriggerPerDayFieldAcrossNodes() {
    CronSchedules a = node("node-a");
    a.apply(Dags.scheduled(DAG, 1, "0 * 13 * 5", "Europe/Berlin", null, 0L, false));

    List<CronTrigger> stored = node("node-b").triggers(DAG);

    assertThat(stored).hasSize(2).allMatch(t -> t instanceof UnixCronTrigger);
    assertThat(stored)
        .map(CronTrigger::getCronExpression)
        .containsExactly("0 0 * 13 * ?", "0 0 * ? * 6");
    assertThat(stored).allMatch(t -> t.getTimeZone().getID().equals("Europe/Berlin"));
    assertThat(stored)
        .allMatch(t -> t.getMisfireInstruction() == CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING);
  }

  @Test
  void twoNodesFireEveryScheduledSecondExactlyOnceAcrossTheDeathOfTheTriggerHolder() {
    CronSchedules a = node("node-a");
    CronSchedules b = node("node-b");
    // both nodes follow kontroler.dags, so both apply the DAG's record
    a.apply(Dags.scheduled(DAG, "* * * * * *"));
    b.apply(Dags.scheduled(DAG, "* * * * * *"));
    a.start();
    b.start();
    Instant from = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    Instant to = from.plusSeconds(WINDOW_SECONDS);

    Instant killAt = from.plusSeconds(20);
    await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () -> lastFire().map(f -> !f.request().requestedAt().isBefore(killAt)).orElse(false));
    String holder = lastFire().orElseThrow().node();
    CronSchedules victim = holder.equals("node-a") ? a : b;
    String survivor = holder.equals("node-a") ? "node-b" : "node-a";
    LOG.info("Killing {}, the node that fired last", holder);
    victim.abandon();
    Instant killed = Instant.now();

    await()
        .atMost(Duration.ofSeconds(WINDOW_SECONDS + 30))
        .until(() -> requests().anyMatch(r -> !r.requestedAt().isBefore(to)));

    List<Instant> inWindow =
        requests()
            .map(RunRequested::requestedAt)
            .filter(t -> !t.isBefore(from) && t.isBefore(to))
            .sorted()
            .toList();
    List<Instant> expected =
        Stream.iterate(from, t -> t.plusSeconds(1)).limit(WINDOW_SECONDS).toList();
    assertThat(inWindow).hasSize(WINDOW_SECONDS).containsExactlyElementsOf(expected);
    assertThat(requests().map(RunRequested::idempotencyKey)).doesNotHaveDuplicates();
    assertThat(firedBy(survivor).anyMatch(t -> t.isAfter(killed))).isTrue();
    assertThat(firedBy(holder).anyMatch(t -> !t.isBefore(from))).isTrue();
  }

  @Test
  void twoNodesFiringAForbidDagPublishOneScheduleTriggeredRequestPerSlotWithTheSlotsKey() {
    String dag = "default/forbid-every-second";
    CronSchedules a = node("node-a");
    CronSchedules b = node("node-b");
    var published =
        Dags.scheduled(dag, 1, "* * * * * *", null, ConcurrencyPolicy.Forbid, null, false);
    a.apply(published);
    b.apply(published);
    a.start();
    b.start();
    Instant from = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    int slots = 8;
    Instant to = from.plusSeconds(slots);

    await()
        .atMost(Duration.ofSeconds(slots + 30))
        .until(() -> requests().anyMatch(r -> !r.requestedAt().isBefore(to)));

    List<RunRequested> inWindow =
        requests()
            .filter(r -> r.dag().equals(dag))
            .filter(r -> !r.requestedAt().isBefore(from) && r.requestedAt().isBefore(to))
            .sorted(java.util.Comparator.comparing(RunRequested::requestedAt))
            .toList();
    List<Instant> expected = Stream.iterate(from, t -> t.plusSeconds(1)).limit(slots).toList();
    // no node looks at runs: every slot is requested once, and the scheduler applies Forbid
    assertThat(inWindow).extracting(RunRequested::requestedAt).containsExactlyElementsOf(expected);
    assertThat(inWindow).extracting(RunRequested::trigger).containsOnly(RunRequested.SCHEDULE);
    assertThat(inWindow)
        .extracting(RunRequested::idempotencyKey)
        .containsExactlyElementsOf(expected.stream().map(t -> dag + "@" + t).toList());
  }

  private CronSchedules node(String id) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.getJdbcUrl("postgres", database));
    config.setMaximumPoolSize(5);
    config.setPoolName(id);
    HikariDataSource dataSource = new HikariDataSource(config);
    closing.add(dataSource);
    Outbox outbox = new NodeOutbox(id);
    CronSchedules cron =
        new CronSchedules(
            QuartzSchedulers.jdbc(
                dataSource,
                new QuartzSchedulers.Cluster(id, 1000, 60_000),
                new CronFires(outbox, Clock.systemUTC()),
                2));
    closing.add(cron);
    return cron;
  }

  private synchronized java.util.Optional<Fired> lastFire() {
    return fired.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(fired.get(fired.size() - 1));
  }

  private synchronized Stream<RunRequested> requests() {
    return List.copyOf(fired).stream().map(Fired::request);
  }

  private synchronized Stream<Instant> firedBy(String node) {
    return List.copyOf(fired).stream()
        .filter(f -> f.node().equals(node))
        .map(f -> f.request().requestedAt());
  }

  /** Each node publishes into the same list, tagged with its id. */
  private final class NodeOutbox implements Outbox {
    private final String node;

    NodeOutbox(String node) {
      this.node = node;
    }

    @Override
    public void command(Inbound command) {
      synchronized (ClusteredCronIT.this) {
        fired.add(new Fired(node, (RunRequested) command));
      }
    }

    @Override
    public void catalog(String key, Catalog record) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void deadLetter(String key, DeadLetter letter) {
      throw new UnsupportedOperationException();
    }
  }
}

package io.kontroler.cli.distributed;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Comparator;

/** Something that breaks a {@link Cluster} in the middle of a batch of runs. */
sealed interface Fault {
  /**
   * What was broken, when (epoch millis) the fault began and when the test ended it itself (a
   * service started again; for a kill, nothing is restored: the same as {@code at}).
   */
  record Injected(long at, long restoredAt, String what) {
    Injected(long at, String what) {
      this(at, at, what);
    }
  }

  String name();

  Injected inject(Cluster cluster);

  /**
   * Nothing broken: the same measure taken at the same point of a batch, so that what a fault costs
   * can be read against what the batch's own load makes in-flight work wait anyway.
   */
  record NoFault() implements Fault {
    @Override
    public String name() {
      return "no-fault";
    }

    @Override
    public Injected inject(Cluster cluster) {
      return new Injected(System.currentTimeMillis(), "nothing broken (the baseline)");
    }
  }

  /** {@code kill -9} of a scheduler: its partitions move to the other one. */
  record KillScheduler() implements Fault {
    @Override
    public String name() {
      return "kill-scheduler";
    }

    @Override
    public Injected inject(Cluster cluster) {
      KontrolerProcess victim = cluster.schedulers.get(0);
      String what = "kill -9 " + victim;
      long at = System.currentTimeMillis();
      victim.kill9();
      return new Injected(at, what);
    }
  }

  /**
   * {@code kill -9} of the executor running the most tasks, never restarted: its attempts can only
   * be recovered by the rest of the fleet.
   */
  record KillExecutor() implements Fault {
    @Override
    public String name() {
      return "kill-executor";
    }

    @Override
    public Injected inject(Cluster cluster) {
      await("an executor running tasks")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> cluster.executors.stream().anyMatch(e -> e.children() > 0));
      KontrolerProcess victim =
          cluster.executors.stream()
              .max(Comparator.comparingLong(KontrolerProcess::children))
              .orElseThrow();
      String what = "kill -9 " + victim + " running " + victim.children() + " processes";
      long at = System.currentTimeMillis();
      victim.kill9();
      return new Injected(at, what);
    }
  }

  /** {@code kill -9} of the Kafka node that leads the most partitions. */
  record KillLeaderBroker() implements Fault {
    @Override
    public String name() {
      return "kill-leader-broker";
    }

    @Override
    public Injected inject(Cluster cluster) {
      int node = cluster.kafka.leaderOfMostPartitions();
      String what =
          "kill -9 kafka-" + node + " (partitions led: " + cluster.kafka.leadership() + ")";
      long at = System.currentTimeMillis();
      cluster.kafka.kill9(node);
      return new Injected(at, what);
    }
  }

  /**
   * PostgreSQL stopped under the api while run-events keep coming, then started again: the api must
   * catch up on its own.
   */
  record RestartPostgres() implements Fault {
    /** Run-events committed while the database is down, so the api has had to write some. */
    static final int EVENTS_DURING_OUTAGE = 20;

    @Override
    public String name() {
      return "restart-postgres";
    }

    @Override
    public Injected inject(Cluster cluster) {
      long at = System.currentTimeMillis();
      cluster.database.stop();
      await("run-events while PostgreSQL is down")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> cluster.runEvents.countSince(at) >= EVENTS_DURING_OUTAGE);
      long back = System.currentTimeMillis();
      cluster.database.startServer();
      return new Injected(
          at,
          System.currentTimeMillis(),
          "PostgreSQL stopped for "
              + (back - at)
              + " ms (start took "
              + (System.currentTimeMillis() - back)
              + " ms)");
    }
  }
}

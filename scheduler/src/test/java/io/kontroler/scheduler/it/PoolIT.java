package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import io.kontroler.core.run.RunPhase;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared pools on a real broker: three DAGs whose parallel tasks share a pool run no more of them
 * at once than the pool has slots, by the executing side's own record of starts and finishes, and
 * all of them finish; slots raised while requests wait are granted at once.
 */
class PoolIT {
  private static final Logger LOG = LoggerFactory.getLogger(PoolIT.class);
  private static final List<String> DAGS = List.of("it/pool-a", "it/pool-b", "it/pool-c");

  @TempDir Path dir;
  EmbeddedKafka kafka;

  /** A broker of its own for each test: a scheduler reads its inputs from the beginning. */
  @BeforeEach
  void startBroker() {
    kafka = io.kontroler.testkafka.TestKafka.start(dir.resolve("broker"), Map.of());
    ItSupport.createTopics(kafka);
  }

  @AfterEach
  void stopBroker() {
    kafka.close();
  }

  /** A DAG of {@code width} parallel tasks in {@code pool}, then one task outside it. */
  static DagSpec pooled(String pool, int width) {
    List<TaskSpec> tasks = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      tasks.add(TaskSpec.of("load-" + i, "alpine:3.20", List.of("true"), List.of()).withPool(pool));
      names.add("load-" + i);
    }
    tasks.add(TaskSpec.of("report", "alpine:3.20", List.of("true"), names));
    return DagSpec.of(tasks);
  }

  @Test
  void threeDagsSharingAPoolOfTwoNeverRunMoreThanTwoOfItsTasksAtOnceAndAllFinish()
      throws Exception {
    try (KafkaIo io = new KafkaIo(kafka);
        Scheduler scheduler =
            Scheduler.start(
                SchedulerConfig.fromFlat(ItSupport.config(kafka, "pool-it", dir.resolve("s1"))));
        PoolExecutor executor = new PoolExecutor(io, Duration.ofMillis(150));
        RunEnds ends = new RunEnds(io)) {
      io.send(
          ItSupport.TOPICS.pools(),
          "shared",
          new PoolSlotsSet("shared", 2, "admin", Instant.now()));
      DAGS.forEach(dag -> ItSupport.publish(io, dag, pooled("shared", 3)));
      List<String> runs = new ArrayList<>();
      for (String dag : DAGS) {
        for (int k = 0; k < 2; k++) {
          runs.add(ItSupport.request(io, dag, "run-" + k));
        }
      }

      await().atMost(Duration.ofSeconds(120)).until(() -> ends.ended().keySet().containsAll(runs));

      assertThat(runs)
          .allSatisfy(r -> assertThat(ends.ended().get(r)).isEqualTo(RunPhase.Succeeded));
      // 6 runs x (3 pooled tasks + 1 report); the reports take no slot.
      assertThat(executor.finished()).isEqualTo(24);
      assertThat(executor.launchedTwice()).isEmpty();
      List<PoolExecutor.Ran> pooled =
          executor.ran().stream().filter(r -> r.key().contains("/load-")).toList();
      int most = mostAtOnce(pooled);
      LOG.info("{} pooled attempts ran, at most {} at once", pooled.size(), most);
      assertThat(pooled).hasSize(18);
      assertThat(most).as("pooled attempts running at once").isEqualTo(2);
    }
  }

  @Test
  void slotsRaisedWhileRequestsWaitAreGrantedAtOnce() throws Exception {
    try (KafkaIo io = new KafkaIo(kafka);
        Scheduler scheduler =
            Scheduler.start(
                SchedulerConfig.fromFlat(ItSupport.config(kafka, "pool-it-2", dir.resolve("s2"))));
        PoolExecutor executor = new PoolExecutor(io, null);
        RunEnds ends = new RunEnds(io)) {
      String dag = "it/pool-raise";
      ItSupport.publish(io, dag, pooled("raise", 6));
      String runId = ItSupport.request(io, dag, "run-0");
      io.send(
          ItSupport.TOPICS.pools(), "raise", new PoolSlotsSet("raise", 1, "admin", Instant.now()));
      await().atMost(Duration.ofSeconds(60)).until(() -> executor.started() == 1);

      io.send(
          ItSupport.TOPICS.pools(), "raise", new PoolSlotsSet("raise", 4, "admin", Instant.now()));

      // Nothing finished: the three new slots can only come from the raise.
      await().atMost(Duration.ofSeconds(60)).until(() -> executor.started() == 4);
      assertThat(executor.finished()).isZero();
      executor.finishAll();
      await().atMost(Duration.ofSeconds(60)).until(() -> executor.started() == 6);
      executor.finishAll();
      await().atMost(Duration.ofSeconds(60)).until(() -> executor.started() == 7);
      executor.finishAll();
      await().atMost(Duration.ofSeconds(60)).until(() -> ends.ended().containsKey(runId));
      assertThat(ends.ended().get(runId)).isEqualTo(RunPhase.Succeeded);
      assertThat(mostAtOnce(executor.ran())).isEqualTo(4);
    }
  }

  static int mostAtOnce(List<PoolExecutor.Ran> ran) {
    return PoolExecutor.mostAtOnce(ran);
  }
}

package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import io.kontroler.core.run.RunPhase;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of 2 shared by three DAGs whose owner, a scheduler process, is killed (SIGKILL, no
 * shutdown) mid-run: the survivor takes the pool over from its changelog. By the executing side's
 * own record, never more than 2 pooled attempts ran at once, no attempt ran twice, and every run
 * finished: every slot came back.
 */
class PoolFailoverIT {
  private static final Logger LOG = LoggerFactory.getLogger(PoolFailoverIT.class);
  private static final String APP = "pool-failover-it";
  private static final List<String> DAGS = List.of("it/pf-a", "it/pf-b", "it/pf-c");
  private static final int WIDTH = 4;
  private static final int RUNS_PER_DAG = 2;

  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = ItSupport.startFailoverBroker(dir.resolve("broker"));
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void aPoolOfTwoNeverHasMoreThanTwoHoldersAndItsSlotsComeBackWhenItsOwnerIsKilled()
      throws Exception {
    String poolsTopic = ItSupport.TOPICS.pools();
    try (KafkaIo io = new KafkaIo(kafka)) {
      Path ready = dir.resolve("victim.ready");
      Process victim =
          SchedulerProcess.launch(
              ready, ItSupport.config(kafka, APP, Files.createDirectories(dir.resolve("victim"))));
      try (Scheduler survivor =
          Scheduler.start(
              SchedulerConfig.fromFlat(ItSupport.config(kafka, APP, dir.resolve("survivor"))))) {
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(ready));
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> {
                  int owned = survivor.activePartitions(poolsTopic).size();
                  return owned > 0 && owned < ItSupport.PARTITIONS;
                });
        // A pool whose partition the victim owns.
        Set<Integer> survivors = survivor.activePartitions(poolsTopic);
        String pool =
            IntStream.range(0, 100)
                .mapToObj(i -> "warehouse-" + i)
                .filter(p -> !survivors.contains(ItSupport.partitionOf(p)))
                .findFirst()
                .orElseThrow();
        io.send(poolsTopic, pool, new PoolSlotsSet(pool, 2, "admin", Instant.now()));
        DAGS.forEach(dag -> ItSupport.publish(io, dag, PoolIT.pooled(pool, WIDTH)));

        try (PoolExecutor executor = new PoolExecutor(io, Duration.ofMillis(300));
            RunEnds ends = new RunEnds(io)) {
          List<String> runs = new ArrayList<>();
          for (int k = 0; k < RUNS_PER_DAG; k++) {
            for (String dag : DAGS) {
              runs.add(ItSupport.request(io, dag, "run-" + k));
            }
          }
          int pooledAttempts = DAGS.size() * RUNS_PER_DAG * WIDTH;
          await()
              .pollInterval(Duration.ofMillis(10))
              .atMost(Duration.ofSeconds(90))
              .until(() -> executor.finished() >= pooledAttempts / 4);

          assertThat(survivor.activePartitions(poolsTopic))
              .as("the pool's partition is the victim's at the kill")
              .doesNotContain(ItSupport.partitionOf(pool));
          victim.destroyForcibly().waitFor();
          long killedAt = System.nanoTime();
          long finishedAtKill = executor.finished();
          assertThat(ends.ended().keySet())
              .as("runs ended at the kill")
              .hasSizeLessThan(runs.size());

          await()
              .atMost(Duration.ofSeconds(150))
              .until(() -> ends.ended().keySet().containsAll(runs));
          LOG.info(
              "{} attempts finished at the kill; every run ended {} ms after it",
              finishedAtKill,
              Duration.ofNanos(System.nanoTime() - killedAt).toMillis());

          assertThat(runs)
              .allSatisfy(r -> assertThat(ends.ended().get(r)).isEqualTo(RunPhase.Succeeded));
          assertThat(survivor.activePartitions(poolsTopic)).hasSize(ItSupport.PARTITIONS);
          assertThat(executor.launchedTwice()).as("attempts launched twice").isEmpty();
          List<PoolExecutor.Ran> pooled =
              executor.ran().stream().filter(r -> r.key().contains("/load-")).toList();
          assertThat(pooled)
              .as("each pooled task ran once, as attempt 1")
              .hasSize(pooledAttempts)
              .allSatisfy(r -> assertThat(r.key()).endsWith("#1"));
          int most = PoolExecutor.mostAtOnce(pooled);
          LOG.info("{} pooled attempts ran, at most {} at once", pooled.size(), most);
          assertThat(most).as("pooled attempts running at once").isEqualTo(2);
        }
      } finally {
        victim.destroyForcibly();
      }
    }
  }
}

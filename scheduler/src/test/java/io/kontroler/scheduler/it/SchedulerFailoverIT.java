package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two scheduler instances share six partitions; one is killed (SIGKILL, no shutdown) while runs are
 * in flight. The survivor takes its partitions over from the changelogs: every run completes, and
 * no (run, task, attempt) reaches the executors twice.
 */
class SchedulerFailoverIT {
  private static final String APP = "failover-it";
  private static final int TASKS_PER_RUN = 20;
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
  void everyRunCompletesWithNoLaunchTwiceWhenAnInstanceIsKilled() throws Exception {
    try (KafkaIo io = new KafkaIo(kafka)) {
      List<String> dags = oneDagPerPartition();
      dags.forEach(dag -> ItSupport.publish(io, dag, Shapes.chain(TASKS_PER_RUN)));

      Path ready = dir.resolve("victim.ready");
      Process victim =
          SchedulerProcess.launch(
              ready, ItSupport.config(kafka, APP, Files.createDirectories(dir.resolve("victim"))));
      try (Scheduler survivor =
          Scheduler.start(
              SchedulerConfig.fromFlat(ItSupport.config(kafka, APP, dir.resolve("survivor")))); ) {
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ready));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> survivor.activeTaskCount() > 0 && survivor.activeTaskCount() < 6);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> io.consumedToEnd(APP, ItSupport.TOPICS.dags()));

        try (TestExecutor executor = new TestExecutor(io, true, Duration.ofMillis(40));
            RunEnds ends = new RunEnds(io)) {
          List<String> runs = new ArrayList<>();
          for (String dag : dags) {
            for (int r = 0; r < RUNS_PER_DAG; r++) {
              runs.add(ItSupport.request(io, dag, "run-" + r));
            }
          }
          int total = runs.size() * TASKS_PER_RUN;
          await()
              .pollInterval(Duration.ofMillis(5))
              .atMost(Duration.ofSeconds(60))
              .until(() -> executor.launchCount() >= total / 4);

          victim.destroyForcibly().waitFor();
          long killedAt = System.nanoTime();
          assertThat(executor.launchCount()).isLessThan(total);
          List<String> inFlight = runs.stream().filter(r -> !ends.ended().containsKey(r)).toList();

          // Every run in flight at the kill makes progress again: a launch after the kill, or
          // its end.
          await()
              .pollInterval(Duration.ofMillis(20))
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      inFlight.stream()
                          .allMatch(
                              r ->
                                  ends.ended().containsKey(r)
                                      || executor.lastLaunchNanos(r) != null
                                          && executor.lastLaunchNanos(r) > killedAt));
          LoggerFactory.getLogger(SchedulerFailoverIT.class)
              .info(
                  "Every one of {} runs in flight made progress {} ms after the kill",
                  inFlight.size(),
                  Duration.ofNanos(System.nanoTime() - killedAt).toMillis());

          await()
              .atMost(Duration.ofSeconds(90))
              .until(() -> ends.ended().keySet().containsAll(runs));
          assertThat(ends.ended().values()).containsOnly(RunPhase.Succeeded);
          assertThat(survivor.activeTaskCount()).isEqualTo(6);
          assertThat(executor.launchedTwice()).isEmpty();
          assertThat(executor.launchCount()).isEqualTo(total);
          assertThat(executor.launches()).allSatisfy(l -> assertThat(l.attempt()).isEqualTo(1));
        }
      } finally {
        victim.destroyForcibly();
      }
    }
  }

  /** DAG names whose keys land on each of the six partitions. */
  private static List<String> oneDagPerPartition() {
    Map<Integer, String> byPartition = new TreeMap<>();
    for (int i = 0; byPartition.size() < ItSupport.PARTITIONS; i++) {
      String dag = "it/dag-" + i;
      byPartition.putIfAbsent(ItSupport.partitionOf(dag), dag);
    }
    return new ArrayList<>(byPartition.values());
  }
}

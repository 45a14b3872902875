package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fan-out of 500 instances ({@code list -> process[0..499] -> summary}) on the partition of a
 * scheduler instance that is killed (SIGKILL, no shutdown) once a third of the instances have been
 * launched. The survivor takes the run over from the changelogs: the run succeeds, and on
 * task-launches, read committed from the beginning, every (run, task, attempt) appears exactly
 * once, every instance was launched, and the downstream task once.
 */
class ForEachFailoverIT {
  private static final Logger LOG = LoggerFactory.getLogger(ForEachFailoverIT.class);
  private static final String APP = "foreach-failover-it";
  private static final int ITEMS = 500;
  private static final int PARALLELISM = 50;

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
  void everyInstanceLaunchesOncePerAttemptWhenTheRunsSchedulerIsKilledMidFanOut() throws Exception {
    List<Object> items = IntStream.range(0, ITEMS).mapToObj(i -> (Object) ("item-" + i)).toList();
    DagSpec fanOut =
        DagSpec.of(
            List.of(
                TaskSpec.of("list", "alpine:3.20", List.of("true"), List.of()),
                TaskSpec.of(
                        "process", "alpine:3.20", List.of("echo", "{{ item }}"), List.of("list"))
                    .withForEach(items, PARALLELISM),
                TaskSpec.of("summary", "alpine:3.20", List.of("true"), List.of("process"))));
    try (KafkaIo io = new KafkaIo(kafka)) {
      List<String> dags = oneDagPerPartition();
      dags.forEach(dag -> ItSupport.publish(io, dag, fanOut));

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
            .until(() -> survivor.activeTaskCount() > 0 && survivor.activeTaskCount() < 6);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> io.consumedToEnd(APP, ItSupport.TOPICS.dags()));
        // One DAG per partition: once the survivor knows as many DAGs as it owns partitions, the
        // DAGs it does not know live on the victim's partitions.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    dags.stream().filter(d -> survivor.dagVersion(d) == 1).count()
                        == survivor.activeTaskCount());
        String dag =
            dags.stream().filter(d -> survivor.dagVersion(d) == -1).findFirst().orElseThrow();
        String runId = RunIds.forRequest(dag, "fan-out-1");

        try (TestExecutor executor = new TestExecutor(io, true, Duration.ofMillis(20));
            RunEnds ends = new RunEnds(io)) {
          long startedAt = System.nanoTime();
          ItSupport.request(io, dag, "fan-out-1");
          await()
              .pollInterval(Duration.ofMillis(5))
              .atMost(Duration.ofSeconds(90))
              .until(() -> processLaunches(executor, runId) >= ITEMS / 3);

          assertThat(survivor.dagVersion(dag))
              .as("the run's partition is the victim's at the kill")
              .isEqualTo(-1);
          victim.destroyForcibly().waitFor();
          long killedAt = System.nanoTime();
          long launchedAtKill = processLaunches(executor, runId);
          assertThat(launchedAtKill).isLessThan(ITEMS);
          assertThat(ends.ended()).doesNotContainKey(runId);

          await().atMost(Duration.ofSeconds(150)).until(() -> ends.ended().containsKey(runId));
          LOG.info(
              "{} of {} instances launched at the kill; the run ended {} ms after the kill, {} ms"
                  + " after it was requested",
              launchedAtKill,
              ITEMS,
              Duration.ofNanos(System.nanoTime() - killedAt).toMillis(),
              Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
          assertThat(ends.ended().get(runId)).isEqualTo(RunPhase.Succeeded);
          assertThat(survivor.activeTaskCount()).isEqualTo(6);
          assertThat(executor.launchedTwice()).isEmpty();
        }

        // Ground truth: every committed launch of the run, read from the beginning.
        int records = 0;
        Map<String, List<String>> offsetsByAttempt = new TreeMap<>();
        Map<String, Set<Integer>> attemptsByTask = new TreeMap<>();
        Map<String, List<String>> commandByTask = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r :
            io.readRecords(ItSupport.TOPICS.taskLaunches(), Duration.ofSeconds(1))) {
          if (KafkaIo.decode(r.value()) instanceof LaunchTask l && l.runId().equals(runId)) {
            offsetsByAttempt
                .computeIfAbsent(l.task() + "#" + l.attempt(), k -> new ArrayList<>())
                .add(r.topic() + "-" + r.partition() + "@" + r.offset());
            attemptsByTask.computeIfAbsent(l.task(), k -> new TreeSet<>()).add(l.attempt());
            commandByTask.put(l.task(), l.container().command());
            records++;
          }
        }
        Map<String, List<String>> twice =
            offsetsByAttempt.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(twice).as("(task#attempt) launched more than once, with offsets").isEmpty();

        Set<String> expected =
            IntStream.range(0, ITEMS)
                .mapToObj(i -> "process[" + i + "]")
                .collect(Collectors.toSet());
        expected.add("list");
        expected.add("summary");
        assertThat(attemptsByTask.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        // Attempts of one task are numbered 1, 2, ... with none skipped: a retry after a lost
        // attempt is a new attempt, never a second launch of the same one.
        assertThat(attemptsByTask)
            .allSatisfy(
                (task, attempts) ->
                    assertThat(attempts)
                        .as(task)
                        .containsExactlyElementsOf(
                            IntStream.rangeClosed(1, attempts.size()).boxed().toList()));
        assertThat(attemptsByTask.get("summary")).as("summary ran once").containsExactly(1);
        assertThat(commandByTask.get("process[321]")).containsExactly("echo", "item-321");
        LOG.info(
            "{} committed launches of the run, {} distinct (task, attempt); tasks with more than one"
                + " attempt: {}",
            records,
            offsetsByAttempt.size(),
            attemptsByTask.entrySet().stream().filter(e -> e.getValue().size() > 1).toList());
      } finally {
        victim.destroyForcibly();
      }
    }
  }

  private static long processLaunches(TestExecutor executor, String runId) {
    return executor.launches().stream()
        .filter(l -> l.runId().equals(runId) && l.task().startsWith("process["))
        .count();
  }

  /** DAG names whose keys land on each of the six partitions. */
  private static List<String> oneDagPerPartition() {
    Map<Integer, String> byPartition = new TreeMap<>();
    for (int i = 0; byPartition.size() < ItSupport.PARTITIONS; i++) {
      String dag = "it/fan-out-" + i;
      byPartition.putIfAbsent(ItSupport.partitionOf(dag), dag);
    }
    return new ArrayList<>(byPartition.values());
  }
}

package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs waiting under a DAG's {@code maxActiveRuns} survive a scheduler that stops mid-queue: the
 * next one, with empty local state, restores the queue from the changelogs and starts each waiting
 * run exactly once, in the order asked for, never more than the limit at once.
 */
class MaxActiveRunsRestartIT {
  private static final int RUNS = 6;
  private static final int LIMIT = 2;
  @TempDir Path dir;
  EmbeddedKafka kafka;

  @BeforeEach
  void startBroker() {
    kafka = io.kontroler.testkafka.TestKafka.start(dir.resolve("broker"));
    ItSupport.createTopics(kafka);
  }

  @AfterEach
  void stopBroker() {
    kafka.close();
  }

  @Test
  void aRestartMidQueueNeitherStartsAWaitingRunTwiceNorLosesOne() {
    String app = "max-active-restart-it";
    String dag = "it/max-active";
    try (KafkaIo io = new KafkaIo(kafka);
        TestExecutor executor = new TestExecutor(io, false, Duration.ZERO);
        RunEnds ends = new RunEnds(io)) {
      ItSupport.publish(io, dag, Shapes.chain(1).withMaxActiveRuns(LIMIT));
      List<String> runs;
      try (Scheduler first = start(app, dir.resolve("first"))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> io.consumedToEnd(app, dags()));
        runs = IntStream.range(0, RUNS).mapToObj(i -> ItSupport.request(io, dag, "r" + i)).toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> executor.launchCount() == LIMIT);
        await().atMost(Duration.ofSeconds(30)).until(() -> io.consumedToEnd(app, commands()));
        // The first run ends while the scheduler stops: its outcome is read by the next one.
        executor.succeed(executor.launches().get(0));
      }

      try (Scheduler second = start(app, dir.resolve("second"))) {
        int succeeded = 1;
        while (succeeded < RUNS) {
          int expected = Math.min(RUNS, succeeded + LIMIT);
          await().atMost(Duration.ofSeconds(30)).until(() -> executor.launchCount() >= expected);
          assertThat(executor.launchCount() - succeeded).isLessThanOrEqualTo(LIMIT);
          executor.succeed(executor.launches().get(succeeded));
          succeeded++;
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ends.ended().keySet().containsAll(runs));
        // Nothing more starts once the queue is empty.
        await().atMost(Duration.ofSeconds(30)).until(() -> io.consumedToEnd(app, outcomes()));
      }

      assertThat(executor.launches()).extracting(LaunchTask::runId).containsExactlyElementsOf(runs);
      assertThat(executor.launchedTwice()).isEmpty();
      assertThat(runs)
          .allSatisfy(r -> assertThat(ends.ended()).containsEntry(r, RunPhase.Succeeded));
    }
  }

  private static String dags() {
    return ItSupport.TOPICS.dags();
  }

  private static String commands() {
    return ItSupport.TOPICS.commands();
  }

  private static String outcomes() {
    return ItSupport.TOPICS.taskOutcomes();
  }

  private Scheduler start(String app, Path stateDir) {
    Map<String, String> config = ItSupport.config(kafka, app, stateDir);
    config.put("scheduler.in.memory.stores", "true");
    return Scheduler.start(SchedulerConfig.fromFlat(config));
  }
}

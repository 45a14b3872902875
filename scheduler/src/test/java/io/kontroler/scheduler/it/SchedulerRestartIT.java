package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.message.DeadLetter;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scheduler on the real broker: state survives a restart; poison records do not stop it. Each
 * test has a broker of its own, so that no other scheduler reads its topics.
 */
class SchedulerRestartIT {
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

  @ParameterizedTest(name = "in-memory stores: {0}")
  @ValueSource(booleans = {true, false})
  void aRestartWithEmptyLocalStateRestoresRunsFromTheChangelog(boolean inMemory) {
    String app = "restart-it-" + inMemory;
    String dag = "it/restart-" + inMemory;
    try (KafkaIo io = new KafkaIo(kafka);
        TestExecutor executor = new TestExecutor(io, false, Duration.ZERO);
        RunEnds ends = new RunEnds(io)) {
      ItSupport.publish(io, dag, Shapes.chain(3));
      String runId;
      try (Scheduler first = start(app, dir.resolve("first-" + inMemory), inMemory)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> io.consumedToEnd(app, topicDags()));
        runId = ItSupport.request(io, dag, "before-restart");
        executor.succeed(awaitLaunch(executor, runId, "t0"));
        awaitLaunch(executor, runId, "t1");
      }

      try (Scheduler second = start(app, dir.resolve("second-" + inMemory), inMemory)) {
        executor.succeed(awaitLaunch(executor, runId, "t1"));
        executor.succeed(awaitLaunch(executor, runId, "t2"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ends.ended().containsKey(runId));
      }

      assertThat(ends.ended()).containsEntry(runId, RunPhase.Succeeded);
      assertThat(executor.launches())
          .filteredOn(l -> l.runId().equals(runId))
          .extracting(LaunchTask::task)
          .containsExactly("t0", "t1", "t2");
      assertThat(executor.launchedTwice()).isEmpty();
    }
  }

  @Test
  void aPoisonRecordGoesToDeadLettersAndTheRecordsAfterItAreProcessed() {
    String app = "poison-it";
    String dag = "it/poison";
    try (KafkaIo io = new KafkaIo(kafka);
        TestExecutor executor = new TestExecutor(io, true, Duration.ZERO);
        RunEnds ends = new RunEnds(io);
        Scheduler scheduler = start(app, dir.resolve("state-poison"), true)) {
      ItSupport.publish(io, dag, Shapes.diamond());
      await().atMost(Duration.ofSeconds(30)).until(() -> io.consumedToEnd(app, topicDags()));

      RecordMetadata poison = io.sendRaw(ItSupport.TOPICS.commands(), dag, "{not json");
      List<String> runs =
          List.of(ItSupport.request(io, dag, "good-1"), ItSupport.request(io, dag, "good-2"));

      await().atMost(Duration.ofSeconds(30)).until(() -> ends.ended().keySet().containsAll(runs));
      assertThat(runs)
          .allSatisfy(r -> assertThat(ends.ended()).containsEntry(r, RunPhase.Succeeded));
      List<Object> letters = io.readAll(ItSupport.TOPICS.deadLetters(), Duration.ofMillis(500));
      assertThat(letters)
          .filteredOn(DeadLetter.class::isInstance)
          .map(DeadLetter.class::cast)
          .filteredOn(d -> dag.equals(d.key()))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.reason()).startsWith("not JSON");
                assertThat(d.sourceTopic()).isEqualTo(ItSupport.TOPICS.commands());
                assertThat(d.partition()).isEqualTo(poison.partition());
                assertThat(d.offset()).isEqualTo(poison.offset());
                assertThat(d.value()).isEqualTo("{not json");
              });
      assertThat(scheduler.state().isRunningOrRebalancing()).isTrue();
    }
  }

  private static String topicDags() {
    return ItSupport.TOPICS.dags();
  }

  private Scheduler start(String app, Path stateDir, boolean inMemory) {
    Map<String, String> config = ItSupport.config(kafka, app, stateDir);
    config.put("scheduler.in.memory.stores", String.valueOf(inMemory));
    return Scheduler.start(SchedulerConfig.fromFlat(config));
  }

  private static LaunchTask awaitLaunch(TestExecutor executor, String runId, String task) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                executor.launches().stream()
                    .anyMatch(l -> l.runId().equals(runId) && l.task().equals(task)));
    return executor.launches().stream()
        .filter(l -> l.runId().equals(runId) && l.task().equals(task))
        .findFirst()
        .orElseThrow();
  }
}

package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.LaunchKeys;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forEach over 10,000 items on a real broker: every instance launched once, the launches spread
 * over the partitions of task-launches (keyed by run and task, not by the DAG), the downstream task
 * run once after them, and no record of the run's state stores larger than a few KiB: the state
 * written per event does not grow with the number of items.
 */
class ForEachIT {
  private static final String APP = "foreach-it";
  private static final String DAG = "it/fan-out";
  private static final int ITEMS = 10_000;

  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start(dir.resolve("broker"));
    ItSupport.createTopics(kafka);
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void tenThousandInstancesCompleteWithSmallStateRecordsAndSpreadLaunches() {
    List<Object> items = IntStream.range(0, ITEMS).mapToObj(i -> (Object) (long) i).toList();
    TaskSpec process =
        TaskSpec.of("process", "alpine:3.20", List.of("echo", "{{ item }}"), List.of())
            .withForEach(items, 1000);
    TaskSpec after = TaskSpec.of("after", "alpine:3.20", List.of("true"), List.of("process"));
    try (KafkaIo io = new KafkaIo(kafka);
        TestExecutor executor = new TestExecutor(io, true, Duration.ZERO);
        Scheduler scheduler =
            Scheduler.start(SchedulerConfig.fromFlat(ItSupport.config(kafka, APP, dir)))) {
      ItSupport.publish(io, DAG, DagSpec.of(List.of(process, after)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> io.consumedToEnd(APP, ItSupport.TOPICS.dags()));
      String runId = RunIds.forRequest(DAG, "fan-out-1");
      io.send(
          ItSupport.TOPICS.commands(),
          DAG,
          new Inbound.RunRequested(DAG, "fan-out", Map.of(), "fan-out-1", Instant.now()));

      await()
          .atMost(Duration.ofMinutes(8))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  executor.launches().stream()
                      .anyMatch(l -> l.runId().equals(runId) && l.task().equals("after")));
      // Read run-events as they come (there are some 40,000): the run ends Succeeded.
      AtomicBoolean succeeded = new AtomicBoolean();
      try (KafkaConsumer<String, byte[]> events = io.reader(ItSupport.TOPICS.runEvents())) {
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> {
                  for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(200))) {
                    if (KafkaIo.decode(r.value()) instanceof RunPhaseChanged c
                        && c.runId().equals(runId)
                        && c.to() == RunPhase.Succeeded) {
                      succeeded.set(true);
                    }
                  }
                  return succeeded.get();
                });
      }

      List<LaunchTask> launches =
          executor.launches().stream().filter(l -> l.runId().equals(runId)).toList();
      assertThat(launches).hasSize(ITEMS + 1);
      assertThat(launches.stream().map(LaunchTask::task).distinct().count()).isEqualTo(ITEMS + 1);
      assertThat(executor.launchedTwice()).isEmpty();
      LaunchTask some =
          launches.stream().filter(l -> l.task().equals("process[4321]")).findFirst().orElseThrow();
      assertThat(some.container().command()).containsExactly("echo", "4321");

      Set<Integer> partitions = new HashSet<>();
      for (ConsumerRecord<String, byte[]> r :
          io.readRecords(ItSupport.TOPICS.taskLaunches(), Duration.ofSeconds(2))) {
        if (r.key().startsWith(runId + "/")) {
          partitions.add(r.partition());
          assertThat(r.key())
              .isEqualTo(LaunchKeys.of(runId, ((LaunchTask) KafkaIo.decode(r.value())).task()));
        }
      }
      assertThat(partitions).hasSize(ItSupport.PARTITIONS);

      int largest = 0;
      int records = 0;
      for (String store : List.of("runs", "tasks")) {
        for (ConsumerRecord<String, byte[]> r :
            io.readRecords(APP + "-" + store + "-changelog", Duration.ofSeconds(2))) {
          if (r.value() != null) {
            largest = Math.max(largest, r.value().length);
            records++;
          }
        }
      }
      assertThat(records).isGreaterThan(ITEMS);
      assertThat(largest).as("largest record of the runs and tasks changelogs").isLessThan(4096);
    }
  }
}

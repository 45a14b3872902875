package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.TaskEnv;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.EnvVar;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow language over a real broker: the outputs an executor reports on TaskSucceeded are
 * kept by the scheduler and reach the next launch as final strings, with the run's parameters and
 * its cron slot; a condition over them skips a branch, and the exit task sees the run's outcome.
 */
class TemplatedLaunchIT {
  private static final String APP = "templates-it";
  private static final String DAG = "it/templated";

  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = io.kontroler.testkafka.TestKafka.start(dir.resolve("broker"));
    ItSupport.createTopics(kafka);
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  private static DagSpec pipeline() {
    TaskSpec list =
        TaskSpec.of("list", "alpine:3.20", List.of("sh", "-c", "true"), List.of())
            .withOutputs(List.of("count", "items"));
    TaskSpec report =
        TaskSpec.of(
                "report",
                "alpine:3.20",
                List.of(
                    "sh",
                    "-c",
                    "echo {{ tasks.list.outputs.count }} on {{ params.day }} for {{ run.logicalDate }}"),
                List.of("list"))
            .withEnv(List.of(new TaskEnv("ITEMS", "{{ tasks.list.outputs.items }}")))
            .withOutputs(List.of("summary"));
    TaskSpec empty =
        TaskSpec.of("empty", "alpine:3.20", List.of("true"), List.of("list"))
            .withWhen("tasks.list.outputs.count == '0'");
    TaskSpec notify =
        TaskSpec.of(
            "notify", "curl", List.of("echo", "{{ run.id }} ended {{ run.phase }}"), List.of());
    return DagSpec.of(List.of(list, report, empty))
        .withParameters(List.of(new ParameterSpec("day", "2026-11-21", null)))
        .withOnExit(List.of(notify));
  }

  @Test
  void aLaunchCarriesTheUpstreamOutputsParametersAndCronSlotAsFinalStrings() {
    try (KafkaIo io = new KafkaIo(kafka);
        TestExecutor executor = new TestExecutor(io, false, Duration.ZERO);
        Scheduler scheduler =
            Scheduler.start(SchedulerConfig.fromFlat(ItSupport.config(kafka, APP, dir)))) {
      ItSupport.publish(io, DAG, pipeline());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> io.consumedToEnd(APP, ItSupport.TOPICS.dags()));
      Instant slot = Instant.parse("2026-11-22T02:00:00Z");
      String key = "schedule:" + DAG + "@" + slot;
      io.send(
          ItSupport.TOPICS.commands(),
          DAG,
          new Inbound.RunRequested(
              DAG, "nightly", Map.of(), key, slot, Inbound.RunRequested.SCHEDULE));
      String runId = RunIds.forRequest(DAG, key);

      LaunchTask list = awaitLaunch(executor, runId, "list");
      assertThat(list.container().outputs()).containsExactly("count", "items");
      succeed(io, list, Map.of("count", "3", "items", "[\"a\",\"b\"]"));

      LaunchTask report = awaitLaunch(executor, runId, "report");
      assertThat(report.container().command())
          .containsExactly("sh", "-c", "echo 3 on 2026-11-21 for 2026-11-22T02:00:00Z");
      assertThat(report.container().env()).contains(EnvVar.literal("ITEMS", "[\"a\",\"b\"]"));
      assertThat(report.container().outputs()).containsExactly("summary");
      succeed(io, report, Map.of("summary", "done"));

      LaunchTask notify = awaitLaunch(executor, runId, "notify");
      assertThat(notify.container().command()).containsExactly("echo", runId + " ended Succeeded");
      succeed(io, notify, Map.of());

      List<Object> events = awaitRunEnd(io, runId);
      assertThat(events)
          .filteredOn(TaskPhaseChanged.class::isInstance)
          .map(TaskPhaseChanged.class::cast)
          .filteredOn(c -> c.runId().equals(runId))
          .anySatisfy(
              c -> {
                assertThat(c.task()).isEqualTo("list");
                assertThat(c.to()).isEqualTo(TaskPhase.Succeeded);
                assertThat(c.outputs()).containsEntry("count", "3");
              })
          .anySatisfy(
              c -> {
                assertThat(c.task()).isEqualTo("empty");
                assertThat(c.to()).isEqualTo(TaskPhase.Skipped);
                assertThat(c.message())
                    .isEqualTo("condition false: tasks.list.outputs.count == '0'");
              });
      assertThat(executor.launches())
          .filteredOn(l -> l.runId().equals(runId))
          .extracting(LaunchTask::task)
          .containsExactly("list", "report", "notify");
    }
  }

  private static void succeed(KafkaIo io, LaunchTask l, Map<String, String> outputs) {
    io.send(
        ItSupport.TOPICS.taskOutcomes(),
        l.dag(),
        new RunEvent.TaskSucceeded(
            l.runId(), l.dag(), l.task(), l.attempt(), Instant.now(), outputs));
  }

  private static List<Object> awaitRunEnd(KafkaIo io, String runId) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> io.readAll(ItSupport.TOPICS.runEvents(), Duration.ofMillis(300)),
            events ->
                events.stream()
                    .anyMatch(
                        e ->
                            e instanceof RunPhaseChanged r
                                && r.runId().equals(runId)
                                && r.to() == RunPhase.Succeeded));
  }

  private static LaunchTask awaitLaunch(TestExecutor executor, String runId, String task) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                executor.launches().stream()
                    .filter(l -> l.runId().equals(runId) && l.task().equals(task))
                    .findFirst(),
            found -> found.isPresent())
        .orElseThrow();
  }
}

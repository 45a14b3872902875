package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.dag.DagRef;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.ParentRun;
import io.kontroler.core.run.RunCommand.ChildRunLinked;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parent DAG whose dagRef task runs a child DAG on a real broker: the child run is requested
 * through kontroler.commands, linked, runs its own task, and its failure comes back to the parent's
 * partition as the dagRef task's outcome, which fails the parent.
 */
class SubDagIT {
  private static final String APP = "subdag-it";
  private static final String PARENT = "it/parent";
  private static final String CHILD = "it/child";

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
  void aChildThatFailsFailsItsParentAndIsLinkedToIt() {
    TaskSpec sub =
        new TaskSpec("sub", null, null, null, null, List.of(), null, null, null, null, null)
            .withDagRef(new DagRef("child", List.of()));
    TaskSpec work = TaskSpec.of("work", "alpine:3.20", List.of("false"), List.of());
    try (KafkaIo io = new KafkaIo(kafka);
        TestExecutor executor = new TestExecutor(io, false, Duration.ZERO);
        Scheduler scheduler =
            Scheduler.start(SchedulerConfig.fromFlat(ItSupport.config(kafka, APP, dir)))) {
      ItSupport.publish(io, PARENT, DagSpec.of(List.of(sub)));
      ItSupport.publish(io, CHILD, DagSpec.of(List.of(work)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> io.consumedToEnd(APP, ItSupport.TOPICS.dags()));
      String parentRun = ItSupport.request(io, PARENT, "p-1");
      String childRun = RunIds.forRequest(CHILD, ParentRun.childKey(parentRun, "sub", 1));

      LaunchTask launch =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      executor.launches().stream()
                          .filter(l -> l.runId().equals(childRun))
                          .findFirst(),
                  found -> found.isPresent())
              .orElseThrow();
      assertThat(launch.dag()).isEqualTo(CHILD);
      io.send(
          ItSupport.TOPICS.taskOutcomes(),
          CHILD,
          new RunEvent.TaskFailed(
              childRun, CHILD, "work", 1, 1, FailureKind.EXITED, "exit 1", Instant.now()));

      List<Object> events =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> io.readAll(ItSupport.TOPICS.runEvents(), Duration.ofMillis(300)),
                  all -> ended(all, parentRun) != null);
      assertThat(ended(events, childRun)).isEqualTo(RunPhase.Failed);
      assertThat(ended(events, parentRun)).isEqualTo(RunPhase.Failed);
      assertThat(events)
          .filteredOn(ChildRunLinked.class::isInstance)
          .map(ChildRunLinked.class::cast)
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.runId()).isEqualTo(parentRun);
                assertThat(l.childRunId()).isEqualTo(childRun);
                assertThat(l.childDag()).isEqualTo(CHILD);
              });
      assertThat(executor.launches()).extracting(LaunchTask::runId).containsOnly(childRun);
      assertThat(
              io.readAll(ItSupport.TOPICS.commands(), Duration.ofMillis(300)).stream()
                  .filter(Inbound.RunRequested.class::isInstance)
                  .map(Inbound.RunRequested.class::cast)
                  .filter(r -> r.parent() != null)
                  .toList())
          .singleElement()
          .satisfies(r -> assertThat(r.parent().runId()).isEqualTo(parentRun));
    }
  }

  private static RunPhase ended(List<Object> events, String runId) {
    return events.stream()
        .filter(e -> e instanceof RunPhaseChanged r && r.runId().equals(runId) && r.to().isFinal())
        .map(e -> ((RunPhaseChanged) e).to())
        .findFirst()
        .orElse(null);
  }
}

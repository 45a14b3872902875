package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.message.ExecutorHeartbeat;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.shape.Shapes;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attempt leases over a real broker: an executor heartbeats to every partition of the outcomes
 * topic; one that stops has its attempt killed and launched again after the lease, one that goes on
 * keeps its attempt.
 */
class AttemptLeaseIT {
  private static final String APP = "lease-it";

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

  @Test
  void anExecutorThatStopsHeartbeatingLosesItsAttemptWhileOneThatHeartbeatsKeepsIt() {
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
    try (KafkaIo io = new KafkaIo(kafka);
        TestExecutor executor = new TestExecutor(io, false, Duration.ZERO);
        Scheduler scheduler =
            Scheduler.start(SchedulerConfig.fromFlat(ItSupport.config(kafka, APP, dir)))) {
      ItSupport.publish(io, "it/lease-live", Shapes.chain(1));
      ItSupport.publish(io, "it/lease-gone", Shapes.chain(1));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> io.consumedToEnd(APP, ItSupport.TOPICS.dags()));
      String live = ItSupport.request(io, "it/lease-live", "k");
      String gone = ItSupport.request(io, "it/lease-gone", "k");
      LaunchTask liveLaunch = awaitLaunch(executor, live, 1);
      LaunchTask goneLaunch = awaitLaunch(executor, gone, 1);

      heartbeat(io, "exec-gone");
      beats.scheduleAtFixedRate(() -> heartbeat(io, "exec-live"), 0, 500, TimeUnit.MILLISECONDS);
      accept(io, liveLaunch, "exec-live");
      accept(io, goneLaunch, "exec-gone");

      LaunchTask retry = awaitLaunch(executor, gone, 2);
      assertThat(retry.task()).isEqualTo("t0");
      assertThat(executor.kills())
          .singleElement()
          .satisfies(
              k -> {
                assertThat(k.runId()).isEqualTo(gone);
                assertThat(k.attempt()).isEqualTo(1);
                assertThat(k.reason()).contains("exec-gone");
              });
      assertThat(executor.launches())
          .filteredOn(l -> l.runId().equals(live))
          .extracting(LaunchTask::attempt)
          .containsExactly(1);
      assertThat(executor.kills()).extracting(KillTask::runId).doesNotContain(live);
      assertThat(scheduler.metrics().lostAttempts()).isEqualTo(1);
    } finally {
      beats.shutdownNow();
    }
  }

  /** A heartbeat to every partition, as an executor sends it. */
  private static void heartbeat(KafkaIo io, String executor) {
    ExecutorHeartbeat beat = new ExecutorHeartbeat(executor, Instant.now());
    for (int p = 0; p < ItSupport.PARTITIONS; p++) {
      io.sendTo(ItSupport.TOPICS.taskOutcomes(), p, beat.key(), beat);
    }
  }

  private static void accept(KafkaIo io, LaunchTask l, String executor) {
    io.send(
        ItSupport.TOPICS.taskOutcomes(),
        l.dag(),
        new RunEvent.TaskAccepted(
            l.runId(), l.dag(), l.task(), l.attempt(), executor, Instant.now()));
  }

  private static LaunchTask awaitLaunch(TestExecutor executor, String runId, int attempt) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                executor.launches().stream()
                    .anyMatch(l -> l.runId().equals(runId) && l.attempt() == attempt));
    return executor.launches().stream()
        .filter(l -> l.runId().equals(runId) && l.attempt() == attempt)
        .findFirst()
        .orElseThrow();
  }
}

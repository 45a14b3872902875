package io.kontroler.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.broker.loop.LoopHealth;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.ExecutorHeartbeat;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunEvent.TaskAccepted;
import io.kontroler.core.run.RunEvent.TaskFailed;
import io.kontroler.core.run.RunEvent.TaskStarted;
import io.kontroler.core.run.RunEvent.TaskSucceeded;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.executor.backend.TaskBackend;
import io.kontroler.logstore.LocalLogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Workers on the process backend against a real broker. */
class ExecutorWorkerIT {
  @TempDir static Path brokerDir;
  private static EmbeddedKafka kafka;

  @TempDir Path dataDir;
  private Path workDir;

  private KafkaFixture topics;
  private final List<ExecutorWorker> workers = new ArrayList<>();

  @BeforeAll
  static void startKafka() {
    kafka = io.kontroler.testkafka.TestKafka.start(brokerDir);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @BeforeEach
  void setUp() throws IOException {
    topics = new KafkaFixture(kafka);
    workDir = WorkFolders.create();
  }

  @AfterEach
  void tearDown() throws IOException {
    workers.forEach(ExecutorWorker::close);
    topics.close();
    WorkFolders.delete(workDir);
  }

  @Test
  void aLaunchIsNeitherStartedNorCommittedBeforeTheBrokerHasItsTaskAccepted() throws Exception {
    topics.limitOutcomeSize(50); // nothing the worker publishes fits now
    ExecutorWorker worker = worker(4);
    topics.send("team/accepting", Launches.script("acc-1", "t", "echo ran >> ran.txt"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                worker.problems().stream()
                    .map(LoopHealth.Problem::loop)
                    .toList()
                    .containsAll(List.of("executor-launches", "executor-heartbeat")));
    assertThat(worker.isRunning()).isFalse();
    assertThat(topics.committed()).isZero();
    assertThat(workDir.resolve("acc-1")).doesNotExist();

    topics.limitOutcomeSize(1024 * 1024);

    await().atMost(Duration.ofSeconds(30)).until(() -> topics.count(TaskSucceeded.class) == 1);
    await().until(() -> topics.committed() == 1);
    List<TaskAccepted> accepted = topics.all(TaskAccepted.class);
    assertThat(accepted).isNotEmpty();
    assertThat(accepted.get(0).executor()).isEqualTo(worker.executorId());
    assertThat(accepted.get(0).runId()).isEqualTo("acc-1");
    List<Object> events = topics.published(); // one DAG, one partition: in publishing order
    assertThat(events.indexOf(accepted.get(0)))
        .isLessThan(events.indexOf(topics.all(TaskStarted.class).get(0)));
    assertThat(workDir.resolve("acc-1/ran.txt")).hasContent("ran");
    await().atMost(Duration.ofSeconds(30)).until(worker::isRunning);
  }

  @Test
  void heartbeatsReachEveryPartitionOfTheOutcomesKeyedByTheExecutor() {
    ExecutorWorker worker = worker(4);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              topics.count(ExecutorHeartbeat.class);
              return topics.reads(ExecutorHeartbeat.class).stream()
                      .map(KafkaFixture.Read::partition)
                      .distinct()
                      .count()
                  == 6;
            });
    assertThat(topics.reads(ExecutorHeartbeat.class))
        .allSatisfy(
            r -> {
              assertThat(r.key()).isEqualTo("executor:" + worker.executorId());
              assertThat(((ExecutorHeartbeat) r.message()).executor())
                  .isEqualTo(worker.executorId());
            });
  }

  @Test
  void aLaunchWrittenInAnAbortedTransactionNeverRuns() {
    String dag = "team/transactions";
    topics.sendInTransaction(dag, Launches.script("aborted", "t", "touch ran"), false);
    topics.sendInTransaction(dag, Launches.script("committed", "t", "touch ran"), true);
    worker(4);

    await().atMost(Duration.ofSeconds(30)).until(() -> topics.count(TaskSucceeded.class) == 1);
    assertThat(topics.all(TaskSucceeded.class).get(0).runId()).isEqualTo("committed");
    assertThat(workDir.resolve("committed/ran")).exists();
    // Both launches share a partition, the aborted one first: the worker is past it.
    assertThat(workDir.resolve("aborted")).doesNotExist();
    assertThat(topics.perRun(TaskAccepted.class)).containsOnlyKeys("committed");
    assertThat(topics.perRun(TaskStarted.class)).containsOnlyKeys("committed");
  }

  @Test
  void anAttemptTakenOverFromAStoppedExecutorIsAcceptedAgainThenReportedLost() throws Exception {
    ExecutorConfig config = topics.config(dataDir, workDir, 4);
    LaunchTask launch = Launches.script("taken-over", "t", "sleep 300");
    try (LocalLogStore logs = new LocalLogStore(dataDir.resolve("logs"));
        TaskBackend before = ExecutorWorker.backend(config, logs)) {
      before.start(launch, 0);
    } // stopped with the executor: its journal keeps the attempt

    ExecutorWorker worker = worker(4);

    await().atMost(Duration.ofSeconds(30)).until(() -> topics.count(TaskFailed.class) == 1);
    assertThat(topics.all(TaskFailed.class).get(0).kind()).isEqualTo(FailureKind.LOST);
    assertThat(topics.all(TaskAccepted.class))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.runId()).isEqualTo("taken-over");
              assertThat(a.executor()).isEqualTo(worker.executorId());
            });
  }

  @Test
  void aThousandLaunchesThroughTwoWorkersStartEachTaskOnceAndReportEveryOutcome() {
    int launches = 1000;
    worker(50);
    long begin = System.nanoTime();
    for (int i = 0; i < launches; i++) {
      String dag = "team/dag-" + (i % 40);
      topics.send(dag, Launches.script("run-" + i, "task", "echo started >> started.txt"));
      if (i == launches / 4) {
        worker(50); // joins while the first one works: a rebalance mid-stream
      }
    }

    // A bound for a busy, shared build machine (two cores, many builds): at a load of 40 it starts
    // about six processes a second; the time taken is logged below.
    await()
        .atMost(Duration.ofSeconds(300))
        .until(
            () -> topics.count(TaskSucceeded.class) + topics.count(TaskFailed.class) >= launches);
    Duration took = Duration.ofNanos(System.nanoTime() - begin);

    assertThat(topics.count(TaskFailed.class)).isZero();
    Map<String, Integer> succeeded = topics.perRun(TaskSucceeded.class);
    Map<String, Integer> started = topics.perRun(TaskStarted.class);
    assertThat(succeeded).hasSize(launches).allSatisfy((run, n) -> assertThat(n).isEqualTo(1));
    assertThat(started).hasSize(launches).allSatisfy((run, n) -> assertThat(n).isEqualTo(1));
    for (int i = 0; i < launches; i++) {
      assertThat(workDir.resolve("run-" + i + "/started.txt")).hasContent("started");
    }
    LoggerFactory.getLogger(ExecutorWorkerIT.class)
        .info(
            "{} launches through two workers: first sent to last outcome in {} ms",
            launches,
            took.toMillis());
  }

  @Test
  void aFullWorkerPausesCommitsOnlyWhatItHandedOverAndResumesAsAttemptsEnd() throws Exception {
    worker(2);
    String dag = "team/limited";
    String wait = "while [ ! -f ../go ]; do sleep 0.05; done";
    for (int i = 0; i < 5; i++) {
      topics.send(dag, Launches.script("lim-" + i, "t", wait));
    }

    await().until(() -> topics.count(TaskStarted.class) == 2);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> topics.count(TaskStarted.class) == 2 && topics.committed() == 2);

    Files.writeString(workDir.resolve("go"), "");
    await().atMost(Duration.ofSeconds(30)).until(() -> topics.count(TaskSucceeded.class) == 5);
    assertThat(topics.committed()).isEqualTo(5);

    int running = 0;
    int most = 0;
    for (Object event : topics.published()) { // one DAG, one partition: in publishing order
      running += event instanceof TaskStarted ? 1 : event instanceof TaskSucceeded ? -1 : 0;
      most = Math.max(most, running);
    }
    assertThat(most).isEqualTo(2);
  }

  @Test
  void aKillEndsARunningAttemptAsKilled() {
    worker(4);
    String dag = "team/killing";
    topics.send(dag, Launches.script("kill-1", "sleeper", "sleep 60"));
    await().until(() -> topics.count(TaskStarted.class) == 1);

    topics.send(dag, new KillTask("kill-1", dag, "sleeper", 1, "cancelled", Instant.now()));

    await().until(() -> topics.count(TaskFailed.class) == 1);
    TaskFailed failed = topics.all(TaskFailed.class).get(0);
    assertThat(failed.kind()).isEqualTo(FailureKind.KILLED);
    assertThat(failed.runId()).isEqualTo("kill-1");
  }

  @Test
  void killsQueuedBehindWaitingLaunchesReachAFullWorker() {
    worker(1);
    String dag = "team/cancel";
    String wait = "touch started; while [ ! -f ../go ]; do sleep 0.05; done";
    topics.send(dag, Launches.script("c-1", "t", wait));
    topics.send(dag, Launches.script("c-2", "t", wait));
    // c-2's kill comes first: the slot it waits for frees only once c-1's kill was read after it.
    topics.send(dag, new KillTask("c-2", dag, "t", 1, "run cancelled", Instant.now()));
    topics.send(dag, new KillTask("c-1", dag, "t", 1, "run cancelled", Instant.now()));

    await().atMost(Duration.ofSeconds(15)).until(() -> topics.count(TaskFailed.class) == 2);
    assertThat(topics.all(TaskFailed.class).stream().map(TaskFailed::kind))
        .containsOnly(FailureKind.KILLED);
    assertThat(topics.perRun(TaskStarted.class)).containsOnlyKeys("c-1");
    assertThat(workDir.resolve("c-2/started")).doesNotExist();
  }

  @Test
  void anUnreadableRecordIsDeadLetteredAndTheNextOneStillRuns() {
    worker(4);
    topics.sendRaw("team/bad", "{not json".getBytes(StandardCharsets.UTF_8));
    topics.send("team/bad", Launches.command("ok-1", "t", "true"));

    await()
        .until(() -> topics.count(TaskSucceeded.class) == 1 && topics.count(DeadLetter.class) == 1);
    DeadLetter letter = topics.all(DeadLetter.class).get(0);
    assertThat(letter.sourceTopic()).isEqualTo(topics.topics().taskLaunches());
    assertThat(letter.reason()).contains("not JSON");
  }

  @Test
  void aFailingTaskIsReportedWithItsExitCode() {
    worker(4);
    topics.send("team/failing", Launches.script("fail-1", "t", "echo oops; exit 7"));

    await().until(() -> topics.count(TaskFailed.class) == 1);
    TaskFailed failed = topics.all(TaskFailed.class).get(0);
    assertThat(failed.exitCode()).isEqualTo(7);
    assertThat(failed.kind()).isEqualTo(FailureKind.EXITED);
    assertThat(topics.count(TaskStarted.class)).isEqualTo(1);
  }

  @Test
  void theOutputsOfASucceededAttemptTravelOnTaskSucceededAndOversizedOnesFailIt() {
    worker(4);
    topics.send(
        "team/outputs",
        Launches.withOutputs(
            Launches.script(
                "out-1",
                "list",
                "echo 3 > \"$KONTROLER_OUTPUTS/count\"; echo -n ok >"
                    + " \"$KONTROLER_OUTPUTS/status\""),
            "count",
            "status",
            "unwritten"));
    topics.send(
        "team/outputs",
        Launches.withOutputs(
            Launches.script(
                "out-2",
                "big",
                "head -c 5000 /dev/zero | tr '\\0' x > \"$KONTROLER_OUTPUTS/blob\""),
            "blob"));

    await()
        .until(() -> topics.count(TaskSucceeded.class) == 1 && topics.count(TaskFailed.class) == 1);
    TaskSucceeded succeeded = topics.all(TaskSucceeded.class).get(0);
    assertThat(succeeded.runId()).isEqualTo("out-1");
    assertThat(succeeded.outputs())
        .isEqualTo(Map.of("count", "3", "status", "ok", "unwritten", ""));
    TaskFailed failed = topics.all(TaskFailed.class).get(0);
    assertThat(failed.runId()).isEqualTo("out-2");
    assertThat(failed.kind()).isEqualTo(FailureKind.INVALID_OUTPUTS);
    assertThat(failed.message()).contains("5000 bytes").contains("4096");
  }

  @Test
  void theWorkerPutsEachDagOnThePartitionTheProducerWritesItsLaunchesTo() throws Exception {
    Properties props = kafka.clientProperties();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 60; i++) {
        String dag = "team-" + i + "/dag-" + i * 7;
        RecordMetadata written =
            producer
                .send(new ProducerRecord<>(topics.topics().taskLaunches(), dag, new byte[0]))
                .get();

        assertThat(WorkerLoop.partitionOf(dag, 6)).as(dag).isEqualTo(written.partition());
      }
    }
  }

  private ExecutorWorker worker(int inFlightLimit) {
    ExecutorWorker worker = ExecutorWorker.start(topics.config(dataDir, workDir, inFlightLimit));
    workers.add(worker);
    return worker;
  }
}

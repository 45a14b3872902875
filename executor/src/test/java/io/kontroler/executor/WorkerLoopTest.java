package io.kontroler.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.ReleaseRun;
import io.kontroler.core.run.RunEvent.TaskAccepted;
import io.kontroler.core.run.RunEvent.TaskFailed;
import io.kontroler.core.run.RunEvent.TaskStarted;
import io.kontroler.core.run.RunEvent.TaskSucceeded;
import io.kontroler.executor.backend.Adoptable;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.executor.backend.TaskBackend;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The worker's poll loop against Kafka's MockConsumer and MockProducer and a fake backend. */
class WorkerLoopTest {
  private static final Topics TOPICS = Topics.DEFAULT;
  private static final TopicPartition P0 = new TopicPartition(TOPICS.taskLaunches(), 0);
  private static final TopicPartition P1 = new TopicPartition(TOPICS.taskLaunches(), 1);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private final FakeBackend backend = new FakeBackend();
  private final ExecutorMetrics metrics = new ExecutorMetrics(ExecutorConfig.Backend.PROCESS);
  private final Deque<MockConsumer<String, byte[]>> consumers = new ArrayDeque<>();
  private MockProducer<String, byte[]> producer;
  private WorkerLoop loop;

  @Test
  void aLaunchIsCommittedThenStartedOnlyOnceTheBrokerHasItsTaskAccepted() throws Exception {
    worker(false, 4);
    MockConsumer<String, byte[]> consumer = session(List.of(launch("r1", 0)));
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0));

    CompletableFuture<Void> step = stepAsync(session);
    await().until(() -> producer.history().size() == 1);
    TaskAccepted accepted = (TaskAccepted) decode(producer.history().get(0));
    assertThat(accepted.runId()).isEqualTo("r1");
    assertThat(accepted.executor()).isEqualTo("exec-a");
    assertThat(producer.history().get(0).key()).isEqualTo("team/a");
    assertThat(backend.started).isEmpty();
    assertThat(consumer.committed(Set.of(P0))).isEmpty();

    List<Long> committedAtStart = new ArrayList<>();
    backend.onStart = () -> committedAtStart.add(consumer.committed(Set.of(P0)).get(P0).offset());
    producer.completeNext();
    step.get(10, TimeUnit.SECONDS);

    assertThat(backend.started).containsExactly(id("r1"));
    assertThat(committedAtStart).containsExactly(1L); // committed before it started
    assertThat(consumer.committed(Set.of(P0)).get(P0).offset()).isEqualTo(1);
    assertThat(decode(producer.history().get(1))).isInstanceOf(TaskStarted.class);
  }

  @Test
  void aTaskAcceptedTheBrokerRefusedLeavesTheLaunchUnstartedAndUncommittedUntilReadAgain()
      throws Exception {
    worker(false, 4);
    MockConsumer<String, byte[]> first = session(List.of(launch("r2", 0)));
    SupervisedLoop.Session session = loop.open();
    first.rebalance(List.of(P0));

    CompletableFuture<Void> step = stepAsync(session);
    await().until(() -> producer.history().size() == 1);
    producer.errorNext(new KafkaException("broker away"));

    assertThatThrownBy(() -> step.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(KafkaException.class)
        .hasMessageContaining("TaskAccepted");
    assertThat(backend.started).isEmpty();
    assertThat(first.committed(Set.of(P0))).isEmpty();

    // The supervised loop opens a new session, which reads the launch again.
    MockConsumer<String, byte[]> second = session(List.of(launch("r2", 0)));
    SupervisedLoop.Session again = loop.open();
    second.rebalance(List.of(P0));
    CompletableFuture<Void> retry = stepAsync(again);
    await().until(() -> producer.history().size() == 2);
    producer.completeNext();
    retry.get(10, TimeUnit.SECONDS);

    assertThat(backend.started).containsExactly(id("r2"));
    assertThat(second.committed(Set.of(P0)).get(P0).offset()).isEqualTo(1);
  }

  @Test
  void aLaunchWhoseOffsetCouldNotBeCommittedInARebalanceIsNotStartedButReadAgain()
      throws Exception {
    worker(true, 4);
    RefusingFirstCommit consumer = new RefusingFirstCommit();
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    consumer.schedulePollTask(() -> consumer.addRecord(launch("r7", 0)));
    consumers.add(consumer);
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0));

    stepAsync(session).get(10, TimeUnit.SECONDS);
    assertThat(backend.started).isEmpty();
    assertThat(consumer.position(P0)).isZero();

    consumer.schedulePollTask(() -> consumer.addRecord(launch("r7", 0)));
    stepAsync(session).get(10, TimeUnit.SECONDS);
    assertThat(backend.started).containsExactly(id("r7"));
    assertThat(consumer.committed(Set.of(P0)).get(P0).offset()).isEqualTo(1);
  }

  /** A consumer whose first commit meets a rebalance, as a cooperative member's may. */
  private static final class RefusingFirstCommit extends MockConsumer<String, byte[]> {
    private boolean refused;

    RefusingFirstCommit() {
      super("earliest");
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      if (!refused) {
        refused = true;
        throw new RebalanceInProgressException("rebalancing");
      }
      super.commitSync(offsets);
    }
  }

  @Test
  void aLaunchReadAgainWhileInFlightIsNeitherAnnouncedNorStartedTwice() throws Exception {
    worker(true, 4);
    MockConsumer<String, byte[]> first = session(List.of(launch("r3", 0)));
    SupervisedLoop.Session session = loop.open();
    first.rebalance(List.of(P0));
    stepAsync(session).get(10, TimeUnit.SECONDS);
    int sent = producer.history().size();

    MockConsumer<String, byte[]> second = session(List.of(launch("r3", 0)));
    SupervisedLoop.Session again = loop.open();
    second.rebalance(List.of(P0));
    stepAsync(again).get(10, TimeUnit.SECONDS);

    assertThat(backend.started).containsExactly(id("r3"));
    assertThat(producer.history()).hasSize(sent);
    assertThat(second.committed(Set.of(P0)).get(P0).offset()).isEqualTo(1);
  }

  @Test
  void aFullWorkerTakesNoMoreLaunchesAndCommitsOnlyWhatItTook() throws Exception {
    worker(true, 1);
    MockConsumer<String, byte[]> consumer =
        session(List.of(launch("r4", 0), launch("r5", 1), launch("r6", 2)));
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0));
    stepAsync(session).get(10, TimeUnit.SECONDS);

    assertThat(backend.started).containsExactly(id("r4"));
    assertThat(consumer.committed(Set.of(P0)).get(P0).offset()).isEqualTo(1);
    assertThat(consumer.position(P0)).isEqualTo(1); // r5 is read again once there is room
    assertThat(producer.history().stream().map(WorkerLoopTest::decode))
        .filteredOn(TaskAccepted.class::isInstance)
        .hasSize(1);
  }

  @Test
  void attemptsAdoptedOnAssignmentAreAnnouncedWithThisExecutorsId() throws Exception {
    worker(true, 4);
    backend.adoptable.add(id("left-behind"));
    MockConsumer<String, byte[]> consumer = session(List.of());
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0));
    stepAsync(session).get(10, TimeUnit.SECONDS);

    List<Object> sent = producer.history().stream().map(WorkerLoopTest::decode).toList();
    assertThat(sent).hasSize(2); // accepted, then found running
    assertThat(sent.get(1)).isInstanceOf(TaskStarted.class);
    assertThat(sent.get(0))
        .isInstanceOfSatisfying(
            TaskAccepted.class,
            a -> {
              assertThat(a.runId()).isEqualTo("left-behind");
              assertThat(a.executor()).isEqualTo("exec-a");
            });
    assertThat(backend.started).isEmpty();
  }

  @Test
  void aRevokedPartitionsAttemptIsLeftToTheWorkerThatAdoptsIt() throws Exception {
    worker(true, 4);
    String dag0 = dagOn(0);
    String dag1 = dagOn(1);
    AttemptId moving = AttemptId.of(launchOf(dag0, "r0"));
    AttemptId staying = AttemptId.of(launchOf(dag1, "r1"));
    MockConsumer<String, byte[]> consumer =
        twoPartitions(
            List.of(
                record(dag0, 0, 0, launchOf(dag0, "r0")),
                record(dag1, 1, 0, launchOf(dag1, "r1"))));
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0, P1));
    step(session);
    assertThat(backend.started).containsExactlyInAnyOrder(moving, staying);
    assertThat(loop.inFlight()).isEqualTo(2);

    consumer.rebalance(List.of(P1)); // partition 0 moves to another worker
    backend.end(moving, PhaseInfo.succeeded(CLOCK.instant()));
    backend.end(staying, PhaseInfo.succeeded(CLOCK.instant()));
    step(session);

    assertThat(runsOf(TaskSucceeded.class)).containsExactly("r1");
    step(session); // the broker's acknowledgement lets the backend finish it
    assertThat(backend.finished).containsExactly(staying);
    assertThat(loop.inFlight()).isZero();

    // The worker that gets partition 0 adopts the attempt and reports it, once.
    WorkerLoop next = loop("exec-b", 4, AttemptTracker.Revoked.HAND_OVER);
    MockConsumer<String, byte[]> nextConsumer = twoPartitions(List.of());
    SupervisedLoop.Session nextSession = next.open();
    nextConsumer.rebalance(List.of(P0));
    step(nextSession);
    step(nextSession);

    assertThat(runsOf(TaskSucceeded.class)).containsExactly("r1", "r0");
    assertThat(outcomes())
        .filteredOn(TaskAccepted.class::isInstance)
        .map(a -> ((TaskAccepted) a).runId() + "@" + ((TaskAccepted) a).executor())
        .containsExactlyInAnyOrder("r0@exec-a", "r1@exec-a", "r0@exec-b");
    assertThat(backend.finished).containsExactly(staying, moving);
  }

  @Test
  void aLaunchKeyedByRunAndTaskIsReportedByItsDagAndFollowedByTheOwnerOfThePartitionItCameFrom()
      throws Exception {
    worker(true, 4);
    String dag0 = dagOn(0);
    LaunchTask instance = instanceOf(dag0, "r7", "process[7]");
    AttemptId id = AttemptId.of(instance);
    // Keyed by run and task, the launch lands on partition 1 although its DAG's key is on 0.
    MockConsumer<String, byte[]> consumer =
        twoPartitions(
            List.of(
                new ConsumerRecord<>(
                    TOPICS.taskLaunches(), 1, 0, "r7/process[7]", MessageCodec.encode(instance))));
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0, P1));
    step(session);
    assertThat(backend.started).containsExactly(id);
    assertThat(backend.partitions).containsEntry(id, 1);

    consumer.rebalance(List.of(P1)); // partition 0, its DAG's, moves: the attempt stays here
    backend.end(id, PhaseInfo.succeeded(CLOCK.instant()));
    step(session);
    assertThat(runsOf(TaskSucceeded.class)).containsExactly("r7");
    assertThat(producer.history())
        .filteredOn(r -> r.topic().equals(TOPICS.taskOutcomes()))
        .extracting(ProducerRecord::key)
        .containsOnly(dag0);
    step(session); // the broker's acknowledgement lets the backend finish it
    assertThat(backend.finished).containsExactly(id);

    // Another attempt, left running by a worker that is gone: the owner of partition 0 (the DAG's)
    // leaves it, the owner of partition 1 (where its launch was read) adopts it.
    LaunchTask next = instanceOf(dag0, "r8", "process[8]");
    backend.start(next, 1);
    WorkerLoop ofDag = loop("exec-b", 4, AttemptTracker.Revoked.HAND_OVER);
    MockConsumer<String, byte[]> ofDagConsumer = twoPartitions(List.of());
    SupervisedLoop.Session ofDagSession = ofDag.open();
    ofDagConsumer.rebalance(List.of(P0));
    step(ofDagSession);
    assertThat(ofDag.inFlight()).isZero();

    WorkerLoop ofLaunch = loop("exec-c", 4, AttemptTracker.Revoked.HAND_OVER);
    MockConsumer<String, byte[]> ofLaunchConsumer = twoPartitions(List.of());
    SupervisedLoop.Session ofLaunchSession = ofLaunch.open();
    ofLaunchConsumer.rebalance(List.of(P1));
    step(ofLaunchSession);
    assertThat(ofLaunch.inFlight()).isEqualTo(1);
    assertThat(outcomes())
        .filteredOn(TaskAccepted.class::isInstance)
        .map(a -> ((TaskAccepted) a).task() + "@" + ((TaskAccepted) a).executor())
        .contains("process[8]@exec-c")
        .doesNotContain("process[8]@exec-b");
  }

  @Test
  void anAttemptOnlyThisWorkerCanSeeIsFollowedToItsEndAfterItsPartitionMoved() throws Exception {
    worker(true, 4, AttemptTracker.Revoked.KEEP);
    String dag0 = dagOn(0);
    AttemptId here = AttemptId.of(launchOf(dag0, "r0"));
    MockConsumer<String, byte[]> consumer =
        twoPartitions(List.of(record(dag0, 0, 0, launchOf(dag0, "r0"))));
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0, P1));
    step(session);

    consumer.rebalance(List.of(P1));
    backend.end(here, PhaseInfo.failed(FailureKind.EXITED, 3, "exit 3", CLOCK.instant()));
    step(session);

    assertThat(runsOf(TaskFailed.class)).containsExactly("r0");
    step(session);
    assertThat(backend.finished).containsExactly(here);
  }

  @Test
  void onAssignmentOnlyTheAttemptsOfOwnedDagsAreAdopted() throws Exception {
    worker(true, 4);
    String dag0 = dagOn(0);
    String dag1 = dagOn(1);
    backend.started.add(AttemptId.of(launchOf(dag0, "mine")));
    backend.started.add(AttemptId.of(launchOf(dag1, "theirs")));
    MockConsumer<String, byte[]> consumer = twoPartitions(List.of());
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0));
    step(session);

    assertThat(runsOf(TaskAccepted.class)).containsExactly("mine");
    assertThat(runsOf(TaskStarted.class)).containsExactly("mine");
    assertThat(loop.inFlight()).isEqualTo(1);
  }

  @Test
  void killsAndReleasesReadAreCarriedOutOnTheBackend() throws Exception {
    worker(true, 4);
    String dag = dagOn(0);
    LaunchTask launch = launchOf(dag, "r1");
    MockConsumer<String, byte[]> consumer =
        twoPartitions(
            List.of(
                record(dag, 0, 0, launch),
                record(dag, 0, 1, new KillTask("r1", dag, "t", 1, "cancelled", CLOCK.instant())),
                record(dag, 0, 2, new KillTask("gone", dag, "t", 1, "cancelled", CLOCK.instant())),
                record(dag, 0, 3, new ReleaseRun("r1", dag, CLOCK.instant()))));
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0));
    step(session);

    assertThat(backend.killed).containsExactly(AttemptId.of(launch));
    assertThat(backend.released).containsExactly(dag + " r1");
    assertThat(consumer.committed(Set.of(P0)).get(P0).offset()).isEqualTo(4);
  }

  @Test
  void anAttemptTheBackendCouldNotStartIsReportedLostAndTheLoopCarriesOn() throws Exception {
    worker(true, 4);
    backend.startFails = true;
    String dag = dagOn(0);
    MockConsumer<String, byte[]> consumer =
        twoPartitions(
            List.of(
                record(dag, 0, 0, launchOf(dag, "r1")), record(dag, 0, 1, launchOf(dag, "r2"))));
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0));
    step(session);

    assertThat(outcomes())
        .filteredOn(TaskFailed.class::isInstance)
        .map(TaskFailed.class::cast)
        .allSatisfy(f -> assertThat(f.kind()).isEqualTo(FailureKind.LOST))
        .map(TaskFailed::runId)
        .containsExactly("r1", "r2");
    assertThat(runsOf(TaskStarted.class)).isEmpty();
    assertThat(loop.inFlight()).isZero();
  }

  @Test
  void anAttemptThatEndsWhileItsBatchIsStartingIsReportedBeforeTheRestStart() throws Exception {
    worker(true, 4);
    MockConsumer<String, byte[]> consumer =
        session(List.of(launch("r1", 0), launch("r2", 1), launch("r3", 2)));
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0));
    List<Integer> succeededAtStart = new ArrayList<>();
    backend.onStart =
        () -> {
          succeededAtStart.add(runsOf(TaskSucceeded.class).size());
          if (backend.started.size() == 1) { // r2 starts: r1 ends meanwhile
            backend.end(id("r1"), PhaseInfo.succeeded(CLOCK.instant()));
          }
        };

    step(session);

    assertThat(backend.started).containsExactly(id("r1"), id("r2"), id("r3"));
    assertThat(succeededAtStart).containsExactly(0, 0, 1);
    assertThat(runsOf(TaskSucceeded.class)).containsExactly("r1");
  }

  @Test
  void anUnreadableRecordIsDeadLetteredAndTheLaunchAfterItStarts() throws Exception {
    worker(true, 4);
    String dag = dagOn(0);
    ConsumerRecord<String, byte[]> garbage =
        new ConsumerRecord<>(
            TOPICS.taskLaunches(), 0, 0, dag, "{not json".getBytes(StandardCharsets.UTF_8));
    MockConsumer<String, byte[]> consumer =
        twoPartitions(List.of(garbage, record(dag, 0, 1, launchOf(dag, "r1"))));
    SupervisedLoop.Session session = loop.open();
    consumer.rebalance(List.of(P0));
    step(session);

    assertThat(producer.history())
        .filteredOn(r -> r.topic().equals(TOPICS.deadLetters()))
        .singleElement()
        .satisfies(r -> assertThat(((DeadLetter) decode(r)).offset()).isZero());
    assertThat(backend.started).containsExactly(AttemptId.of(launchOf(dag, "r1")));
    assertThat(consumer.committed(Set.of(P0)).get(P0).offset()).isEqualTo(2);
    assertThat(metrics.scrape())
        .contains("kontroler_executor_dead_letters_total{backend=\"process\"} 1.0")
        .contains("kontroler_executor_launches_accepted_total{backend=\"process\"} 1.0")
        .contains("kontroler_executor_attempts_in_flight{backend=\"process\"} 1.0");
  }

  private void worker(boolean autoComplete, int inFlightLimit) {
    worker(autoComplete, inFlightLimit, AttemptTracker.Revoked.HAND_OVER);
  }

  private void worker(boolean autoComplete, int inFlightLimit, AttemptTracker.Revoked revoked) {
    producer =
        new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    loop = loop("exec-a", inFlightLimit, revoked);
  }

  private WorkerLoop loop(String executor, int inFlightLimit, AttemptTracker.Revoked revoked) {
    ExecutorConfig config =
        ExecutorConfig.fromFlat(Map.of())
            .withInFlightLimit(inFlightLimit)
            .withExecutor(executor, Duration.ofSeconds(1));
    return new WorkerLoop(
        config,
        consumers::removeFirst,
        new Outcomes(producer, TOPICS),
        backend,
        revoked,
        metrics,
        CLOCK);
  }

  /**
   * A consumer for the next session on a launches topic of two partitions, holding {@code records}
   * once assigned.
   */
  private MockConsumer<String, byte[]> twoPartitions(List<ConsumerRecord<String, byte[]>> records) {
    MockConsumer<String, byte[]> consumer = session(records);
    consumer.updateBeginningOffsets(Map.of(P1, 0L));
    Node node = new Node(0, "localhost", 9092);
    consumer.updatePartitions(
        TOPICS.taskLaunches(),
        List.of(
            new PartitionInfo(TOPICS.taskLaunches(), 0, node, null, null),
            new PartitionInfo(TOPICS.taskLaunches(), 1, node, null, null)));
    return consumer;
  }

  /** A DAG whose launches the scheduler's producer writes to {@code partition} of two. */
  private static String dagOn(int partition) {
    return IntStream.range(0, 100)
        .mapToObj(i -> "team/dag-" + i)
        .filter(dag -> WorkerLoop.partitionOf(dag, 2) == partition)
        .findFirst()
        .orElseThrow();
  }

  /** A record of {@code command} keyed by its DAG at {@code offset} of {@code partition}. */
  private static ConsumerRecord<String, byte[]> record(
      String dag, int partition, long offset, Object command) {
    return new ConsumerRecord<>(
        TOPICS.taskLaunches(), partition, offset, dag, MessageCodec.encode(command));
  }

  private static LaunchTask launchOf(String dag, String run) {
    LaunchTask launch = Launches.script(run, "t", "true");
    return new LaunchTask(run, dag, launch.dagVersion(), "t", 1, launch.container(), launch.at());
  }

  private static LaunchTask instanceOf(String dag, String run, String task) {
    LaunchTask launch = Launches.script(run, task, "true");
    return new LaunchTask(run, dag, launch.dagVersion(), task, 1, launch.container(), launch.at());
  }

  private static void step(SupervisedLoop.Session session) throws Exception {
    stepAsync(session).get(10, TimeUnit.SECONDS);
  }

  /** What was published on the outcomes topic, in order. */
  private List<Object> outcomes() {
    return producer.history().stream()
        .filter(r -> r.topic().equals(TOPICS.taskOutcomes()))
        .map(WorkerLoopTest::decode)
        .toList();
  }

  private <T> List<String> runsOf(Class<T> type) {
    return outcomes().stream()
        .filter(type::isInstance)
        .map(e -> ((io.kontroler.core.run.RunEvent) e).runId())
        .toList();
  }

  /** A consumer for the next session, holding {@code records} on partition 0 once assigned. */
  private MockConsumer<String, byte[]> session(List<ConsumerRecord<String, byte[]>> records) {
    MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
    consumers.add(consumer);
    return consumer;
  }

  private static CompletableFuture<Void> stepAsync(SupervisedLoop.Session session) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            session.step();
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static ConsumerRecord<String, byte[]> launch(String run, long offset) {
    LaunchTask launch = Launches.script(run, "t", "true");
    LaunchTask keyed =
        new LaunchTask(
            launch.runId(),
            "team/a",
            launch.dagVersion(),
            launch.task(),
            launch.attempt(),
            launch.container(),
            launch.at());
    return new ConsumerRecord<>(
        TOPICS.taskLaunches(), 0, offset, "team/a", MessageCodec.encode(keyed));
  }

  private static AttemptId id(String run) {
    return new AttemptId(run, "team/a", "t", 1);
  }

  private static Object decode(ProducerRecord<String, byte[]> record) {
    try {
      return MessageCodec.decode(record.value());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts nothing: remembers what it was asked to do and says an attempt runs until the test ends
   * it. Like Kubernetes Jobs, what it started and not finished is there to adopt for any worker
   * that owns the partition its launch came from (the DAG's, when not recorded); {@code adoptable}
   * is adopted whatever the DAG, like a process backend's journal.
   */
  private static final class FakeBackend implements TaskBackend {
    final List<AttemptId> started = new CopyOnWriteArrayList<>();
    final List<AttemptId> adoptable = new ArrayList<>();
    final Map<AttemptId, Integer> partitions = new ConcurrentHashMap<>();
    final List<AttemptId> killed = new CopyOnWriteArrayList<>();
    final List<String> released = new CopyOnWriteArrayList<>();
    final List<AttemptId> finished = new CopyOnWriteArrayList<>();
    final Map<AttemptId, PhaseInfo> phases = new ConcurrentHashMap<>();
    volatile Runnable onStart = () -> {};
    volatile boolean startFails;
    volatile Consumer<AttemptId> listener = id -> {};

    /** The attempt ended as {@code phase}, and the worker is told it changed. */
    void end(AttemptId id, PhaseInfo phase) {
      phases.put(id, phase);
      listener.accept(id);
    }

    @Override
    public PhaseInfo start(LaunchTask launch, int partition) {
      if (startFails) {
        throw new IllegalStateException("no backend");
      }
      onStart.run();
      started.add(AttemptId.of(launch));
      partitions.put(AttemptId.of(launch), partition);
      return check(AttemptId.of(launch));
    }

    @Override
    public PhaseInfo check(AttemptId attempt) {
      return phases.getOrDefault(attempt, PhaseInfo.running(CLOCK.instant()));
    }

    @Override
    public void kill(AttemptId attempt, String reason) {
      killed.add(attempt);
    }

    @Override
    public void finish(AttemptId attempt) {
      finished.add(attempt);
    }

    @Override
    public void release(String dag, String runId) {
      released.add(dag + " " + runId);
    }

    @Override
    public List<Adoptable> adopt(Predicate<Adoptable> owns) {
      List<Adoptable> out = new ArrayList<>();
      adoptable.forEach(id -> out.add(new Adoptable(id, Adoptable.UNKNOWN)));
      started.stream()
          .filter(id -> !finished.contains(id))
          .map(id -> new Adoptable(id, partitions.getOrDefault(id, Adoptable.UNKNOWN)))
          .filter(owns)
          .forEach(out::add);
      return out;
    }

    @Override
    public void onChange(Consumer<AttemptId> listener) {
      this.listener = listener;
    }

    @Override
    public void close() {}
  }
}

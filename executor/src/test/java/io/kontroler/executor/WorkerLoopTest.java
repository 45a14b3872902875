package io.kontroler.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunEvent.TaskAccepted;
import io.kontroler.core.run.RunEvent.TaskStarted;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.executor.backend.TaskBackend;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The worker's poll loop against Kafka's MockConsumer and MockProducer and a fake backend. */
class WorkerLoopTest {
  private static final Topics TOPICS = Topics.DEFAULT;
  private static final TopicPartition P0 = new TopicPartition(TOPICS.taskLaunches(), 0);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private final FakeBackend backend = new FakeBackend();
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

  private void worker(boolean autoComplete, int inFlightLimit) {
    producer =
        new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    ExecutorConfig config =
        ExecutorConfig.fromFlat(Map.of())
            .withInFlightLimit(inFlightLimit)
            .withExecutor("exec-a", Duration.ofSeconds(1));
    loop =
        new WorkerLoop(
            config,
            consumers::removeFirst,
            new Outcomes(producer, TOPICS),
            backend,
            AttemptTracker.Revoked.HAND_OVER,
            CLOCK);
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

  /** Starts nothing: remembers what it was asked to start and says it runs. */
  private static final class FakeBackend implements TaskBackend {
    final List<AttemptId> started = new CopyOnWriteArrayList<>();
    final List<AttemptId> adoptable = new ArrayList<>();
    volatile Runnable onStart = () -> {};

    @Override
    public PhaseInfo start(LaunchTask launch) {
      onStart.run();
      started.add(AttemptId.of(launch));
      return PhaseInfo.running(CLOCK.instant());
    }

    @Override
    public PhaseInfo check(AttemptId attempt) {
      return PhaseInfo.running(CLOCK.instant());
    }

    @Override
    public void kill(AttemptId attempt, String reason) {}

    @Override
    public void finish(AttemptId attempt) {}

    @Override
    public void release(String dag, String runId) {}

    @Override
    public List<AttemptId> adopt(Predicate<String> ownsDag) {
      return List.copyOf(adoptable);
    }

    @Override
    public void onChange(Consumer<AttemptId> listener) {}

    @Override
    public void close() {}
  }
}

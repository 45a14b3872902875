package io.kontroler.executor;

import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.RunCommand.ExecutorCommand;
import io.kontroler.executor.Intake.Read;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.TaskBackend;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's single thread: polls the launches topic and carries out what the {@link
 * AttemptTracker} decides, on the backend and the outcomes topic. Commands are carried out only
 * once their offsets are committed; a launch taken is announced with TaskAccepted, acknowledged by
 * the broker before its offset is committed and it starts. While the tracker is full the consumer
 * is paused, but for a poll now and then that looks past the waiting launches for kills.
 *
 * <p>The attempts outlive the consumer: {@link #open()} gives the {@link SupervisedLoop} a new
 * subscribed consumer after a failure, and launches read again are recognised as in flight.
 */
final class WorkerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);

  /** How often a full worker reads past its waiting launches for kills. */
  private static final Duration PEEK_INTERVAL = Duration.ofSeconds(1);

  private final ExecutorConfig config;
  private final Supplier<Consumer<String, byte[]>> consumers;
  private final Outcomes outcomes;
  private final Clock clock;
  private final AttemptTracker tracker;
  private final AttemptActions actions;
  private final ExecutorMetrics metrics;
  private final AtomicInteger inFlight = new AtomicInteger();
  private Consumer<String, byte[]> consumer;

  WorkerLoop(
      ExecutorConfig config,
      Supplier<Consumer<String, byte[]>> consumers,
      Outcomes outcomes,
      TaskBackend backend,
      AttemptTracker.Revoked revoked,
      ExecutorMetrics metrics,
      Clock clock) {
    this.config = config;
    this.metrics = metrics;
    this.consumers = consumers;
    this.outcomes = outcomes;
    this.clock = clock;
    this.tracker =
        new AttemptTracker(
            new AttemptTracker.Settings(
                config.inFlightLimit(),
                config.notReadyRetry(),
                config.resyncInterval(),
                PEEK_INTERVAL,
                revoked),
            clock.instant());
    this.actions =
        new AttemptActions(tracker, backend, outcomes, config.executorId(), metrics, clock);
  }

  /** Attempts followed now; read from any thread. */
  int inFlight() {
    return inFlight.get();
  }

  /** A new member of the group on the launches topic; the attempts in flight carry on. */
  SupervisedLoop.Session open() {
    tracker.onNewMember();
    Consumer<String, byte[]> opened = consumers.get();
    consumer = opened;
    opened.subscribe(List.of(config.topics().taskLaunches()), new Rebalance());
    return new SupervisedLoop.Session() {
      @Override
      public void step() {
        WorkerLoop.this.step();
      }

      @Override
      public void wakeup() {
        opened.wakeup();
      }

      @Override
      public void close() {
        opened.close();
      }
    };
  }

  private void step() {
    flow(tracker.flow(clock.instant()));
    take(consumer.poll(config.pollTimeout()));
    actions.feedback();
    actions.perform(tracker.tick(clock.instant()));
    inFlight.set(tracker.inFlight());
    metrics.inFlight(tracker.inFlight());
    metrics.lag(lag());
  }

  /** Records behind on the partitions held, as the consumer knows it from its fetches. */
  private long lag() {
    long total = 0;
    for (TopicPartition partition : consumer.assignment()) {
      total += consumer.currentLag(partition).orElse(0);
    }
    return total;
  }

  private void flow(AttemptTracker.Flow flow) {
    if (flow != AttemptTracker.Flow.FULL) {
      if (!consumer.paused().isEmpty()) {
        LOG.debug("{}: resuming {}", flow, consumer.paused());
        consumer.resume(consumer.paused());
      }
      return;
    }
    Set<TopicPartition> active = new HashSet<>(consumer.assignment());
    active.removeAll(consumer.paused());
    if (!active.isEmpty()) {
      consumer.pause(active);
      LOG.debug("{} attempts in flight: paused {}", tracker.inFlight(), active);
    }
  }

  /** Carries out the tracker's {@link Intake} of a batch, in the order it names. */
  private void take(ConsumerRecords<String, byte[]> records) {
    Map<Read, ConsumerRecord<String, byte[]>> sources = new IdentityHashMap<>();
    List<Read> reads = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      Read read = read(record);
      sources.put(read, record);
      reads.add(read);
    }
    Intake intake = tracker.take(reads);
    intake.readAgain().forEach((partition, offset) -> consumer.seek(launches(partition), offset));
    for (Read letter : intake.deadLetters()) {
      ConsumerRecord<String, byte[]> record = sources.get(letter);
      LOG.warn(
          "Dead-lettering {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          letter.problem());
      outcomes.deadLetter(record, letter.problem());
      metrics.deadLettered();
    }
    announce(intake.announce());
    if (!commit(intake.commit())) {
      // Nothing of this batch is carried out: read it again once the group settled.
      intake.rewind().forEach((partition, offset) -> consumer.seek(launches(partition), offset));
      return;
    }
    metrics.accepted(intake.announce().size());
    for (Read read : intake.commands()) {
      actions.perform(tracker.onCommand(read, clock.instant()));
      // Starting a batch takes a while (tens of milliseconds a process): what ended meanwhile is
      // reported as it ends, not after the whole batch.
      actions.feedback();
    }
    intake
        .killsAhead()
        .forEach(read -> actions.perform(tracker.onKillAhead(read, clock.instant())));
  }

  private static Read read(ConsumerRecord<String, byte[]> record) {
    try {
      ExecutorCommand command = MessageCodec.decode(record.value(), ExecutorCommand.class);
      return Read.of(record.partition(), record.offset(), command);
    } catch (InvalidMessageException e) {
      return Read.unreadable(record.partition(), record.offset(), e.getMessage());
    }
  }

  private TopicPartition launches(int partition) {
    return new TopicPartition(config.topics().taskLaunches(), partition);
  }

  /**
   * Publishes TaskAccepted for each launch taken, and waits until the broker has them all: only
   * then are their offsets committed and they started. One that could not be written fails the step
   * before anything was committed or started, so the launches are read again and announced again.
   */
  private void announce(List<AttemptId> taken) {
    Map<AttemptId, Future<RecordMetadata>> sent = new LinkedHashMap<>();
    taken.forEach(id -> sent.put(id, outcomes.accepted(id, config.executorId(), clock.instant())));
    long waitMillis = Math.max(10_000, config.heartbeatInterval().toMillis() * 10);
    for (Map.Entry<AttemptId, Future<RecordMetadata>> entry : sent.entrySet()) {
      try {
        entry.getValue().get(waitMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        throw new KafkaException(
            "Expected the broker to take TaskAccepted of " + entry.getKey() + ", but: " + cause,
            cause);
      }
    }
  }

  /** Commits {@code offsets}; false when the group is rebalancing or the partitions moved. */
  private boolean commit(Map<Integer, Long> offsets) {
    if (offsets.isEmpty()) {
      return true;
    }
    Map<TopicPartition, OffsetAndMetadata> committing = new HashMap<>();
    offsets.forEach((p, offset) -> committing.put(launches(p), new OffsetAndMetadata(offset)));
    try {
      consumer.commitSync(committing);
      return true;
    } catch (RebalanceInProgressException | CommitFailedException e) {
      LOG.info("Could not commit {} ({}): reading them again", offsets.keySet(), e.toString());
      return false;
    }
  }

  /**
   * The partition of the launches topic a launch keyed by {@code dag} goes to: the very function a
   * Kafka producer with no partitioner configured calls for a keyed record (the scheduler's Streams
   * sink leaves the choice to its producer), rather than a copy of its murmur2 arithmetic. It lives
   * in the client's internals, so ExecutorWorkerIT checks it against a real producer's choice.
   */
  static int partitionOf(String dag, int partitions) {
    return BuiltInPartitioner.partitionForKey(dag.getBytes(StandardCharsets.UTF_8), partitions);
  }

  /**
   * Adopts what the backend runs of the DAGs whose partitions this worker gets, and tells the
   * tracker of the partitions it loses.
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      tracker.onAssigned(numbers(partitions));
      if (partitions.isEmpty()) {
        return;
      }
      List<PartitionInfo> all = consumer.partitionsFor(config.topics().taskLaunches());
      int count = all == null ? 0 : all.size();
      actions.adopt(dag -> count == 0 ? -1 : partitionOf(dag, count));
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      actions.perform(tracker.onRevoked(numbers(partitions)));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
      Set<Integer> numbers = new HashSet<>();
      partitions.forEach(p -> numbers.add(p.partition()));
      return numbers;
    }
  }
}

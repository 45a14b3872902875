package io.kontroler.executor;

import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.RunCommand.ExecutorCommand;
import io.kontroler.executor.Intake.Read;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Mdc;
import io.kontroler.executor.backend.PhaseInfo;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
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
  private final TaskBackend backend;
  private final Clock clock;
  private final AttemptTracker tracker;
  private final LinkedBlockingQueue<AttemptId> changed = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Published> published = new LinkedBlockingQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private Consumer<String, byte[]> consumer;

  /** The broker's answer to an outcome published, from the producer's thread. */
  private record Published(AttemptId id, boolean ok) {}

  WorkerLoop(
      ExecutorConfig config,
      Supplier<Consumer<String, byte[]>> consumers,
      Outcomes outcomes,
      TaskBackend backend,
      AttemptTracker.Revoked revoked,
      Clock clock) {
    this.config = config;
    this.consumers = consumers;
    this.outcomes = outcomes;
    this.backend = backend;
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
    backend.onChange(changed::add);
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
    List<Published> acks = new ArrayList<>();
    published.drainTo(acks);
    acks.forEach(ack -> perform(tracker.onPublished(ack.id(), ack.ok())));
    List<AttemptId> changes = new ArrayList<>();
    changed.drainTo(changes);
    new LinkedHashSet<>(changes).forEach(id -> perform(tracker.onChanged(id)));
    perform(tracker.tick(clock.instant()));
    inFlight.set(tracker.inFlight());
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
    }
    announce(intake.announce());
    if (!commit(intake.commit())) {
      // Nothing of this batch is carried out: read it again once the group settled.
      intake.rewind().forEach((partition, offset) -> consumer.seek(launches(partition), offset));
      return;
    }
    intake.commands().forEach(read -> perform(tracker.onCommand(read, clock.instant())));
    intake.killsAhead().forEach(read -> perform(tracker.onKillAhead(read, clock.instant())));
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

  private void perform(List<Action> actions) {
    for (Action action : actions) {
      if (action.id() == null) {
        perform(action);
      } else {
        Mdc.with(action.id(), () -> perform(action));
      }
    }
  }

  /**
   * Carries out one action. The backend's calls are this adapter's boundary: an exception there is
   * logged with the attempt, and the loop carries on with the others while the tracker still
   * follows this one (a start that failed is reported as lost; a check, kill or release is tried
   * again by the next change, resync or command).
   */
  private void perform(Action action) {
    if (action instanceof Action.Start start) {
      Answer<PhaseInfo> phase = ask(action, () -> backend.start(start.launch()));
      perform(
          phase.error() == null
              ? tracker.onPhase(action.id(), phase.value(), clock.instant())
              : tracker.onStartFailed(action.id(), phase.error().toString(), clock.instant()));
    } else if (action instanceof Action.Check) {
      Answer<PhaseInfo> phase = ask(action, () -> backend.check(action.id()));
      if (phase.error() == null) {
        perform(tracker.onPhase(action.id(), phase.value(), clock.instant()));
      }
    } else if (action instanceof Action.Kill kill) {
      ask(action, () -> done(() -> backend.kill(kill.id(), kill.reason())));
    } else if (action instanceof Action.Release release) {
      ask(action, () -> done(() -> backend.release(release.dag(), release.runId())));
    } else if (action instanceof Action.Finish) {
      ask(action, () -> done(() -> backend.finish(action.id())));
    } else if (action instanceof Action.Announce) {
      outcomes.accepted(action.id(), config.executorId(), clock.instant());
    } else if (action instanceof Action.PublishStarted started) {
      outcomes.started(started.id(), started.at());
    } else if (action instanceof Action.PublishEnded ended) {
      AttemptId id = ended.id();
      outcomes.ended(id, ended.phase(), ended.at(), ok -> published.add(new Published(id, ok)));
    } else if (action instanceof Action.Note note) {
      log(note);
    }
  }

  /** What the backend answered, or what it threw instead. */
  private record Answer<T>(T value, RuntimeException error) {}

  private static <T> Answer<T> ask(Object what, Supplier<T> call) {
    try {
      return new Answer<>(call.get(), null);
    } catch (RuntimeException e) {
      LOG.error("The backend failed to carry out {}", what, e);
      return new Answer<>(null, e);
    }
  }

  private static Boolean done(Runnable call) {
    call.run();
    return Boolean.TRUE;
  }

  private static void log(Action.Note note) {
    AttemptId id = note.id();
    switch (note.what()) {
      case LAUNCH_DELIVERED_AGAIN ->
          LOG.debug("Launch of {} delivered again: in flight already", id);
      case NOT_IN_FLIGHT -> LOG.info("Nothing to kill: {} is not in flight here", id);
      case KILLED_BEFORE_LAUNCH ->
          LOG.info("Kill of {} read before its launch: it won't start", id);
      case START_REFUSED -> LOG.info("Start of {} refused for now: {}", id, note.detail());
      case ADOPTED -> LOG.info("Adopted {}", id);
      case HANDED_OVER -> LOG.info("{} handed over with its {}", id, note.detail());
      case ENDED -> LOG.info("Attempt {} ended: {}", id, note.detail());
    }
  }

  /** The partition of the launches topic a launch keyed by {@code dag} goes to. */
  static int partitionOf(String dag, int partitions) {
    // The producer's own choice for a keyed record, as the scheduler's (Streams) producer makes it.
    return BuiltInPartitioner.partitionForKey(dag.getBytes(StandardCharsets.UTF_8), partitions);
  }

  /** Adopts the running attempts of the DAGs whose partitions this worker gets. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      tracker.onAssigned(numbers(partitions));
      if (partitions.isEmpty()) {
        return;
      }
      List<PartitionInfo> all = consumer.partitionsFor(config.topics().taskLaunches());
      int count = all == null ? 0 : all.size();
      Answer<List<AttemptId>> running =
          ask(
              "adopt",
              () -> backend.adopt(dag -> count > 0 && tracker.owns(partitionOf(dag, count))));
      for (AttemptId id : running.error() == null ? running.value() : List.<AttemptId>of()) {
        perform(tracker.onAdopted(id, count > 0 ? partitionOf(id.dag(), count) : -1));
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      perform(tracker.onRevoked(numbers(partitions)));
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

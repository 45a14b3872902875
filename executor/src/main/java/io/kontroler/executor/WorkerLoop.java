package io.kontroler.executor;

import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.ExecutorCommand;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.ReleaseRun;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Mdc;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.executor.backend.TaskBackend;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's single thread: reads commands, hands launches to the backend, follows attempts and
 * publishes their outcomes. Commands are carried out only once their offsets are committed; when
 * {@code inFlightLimit} attempts run, the consumer is paused (the first launch it could not take is
 * read again later), except for one poll a second that looks past the waiting launches for kills,
 * so that a cancel does not wait for a free slot.
 *
 * <p>A launch taken is announced with TaskAccepted, acknowledged by the broker before its offset is
 * committed and it starts; every attempt adopted is announced too. The attempts outlive the
 * consumer: {@link #open()} gives the {@link SupervisedLoop} a new subscribed consumer after a
 * failure, and launches read again are recognised as in flight.
 */
final class WorkerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);

  /** How often a full worker reads past its waiting launches for kills. */
  private static final Duration PEEK_INTERVAL = Duration.ofSeconds(1);

  private final ExecutorConfig config;
  private final Supplier<Consumer<String, byte[]>> consumers;
  private final Clock clock;
  private Consumer<String, byte[]> consumer;
  private final Outcomes outcomes;
  private final TaskBackend backend;
  private final Map<AttemptId, Tracked> inFlight = new HashMap<>();
  private final LinkedBlockingQueue<AttemptId> changed = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<AttemptId> published = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<AttemptId> unpublished = new LinkedBlockingQueue<>();
  private final Set<Integer> ownedPartitions = new HashSet<>();
  private final Set<AttemptId> killedEarly = new HashSet<>();
  private final AtomicInteger inFlightCount = new AtomicInteger();
  private Instant nextResync;
  private Instant nextPeek;

  WorkerLoop(
      ExecutorConfig config,
      Supplier<Consumer<String, byte[]>> consumers,
      Outcomes outcomes,
      TaskBackend backend,
      Clock clock) {
    this.config = config;
    this.consumers = consumers;
    this.outcomes = outcomes;
    this.backend = backend;
    this.clock = clock;
    this.nextResync = clock.instant();
    this.nextPeek = clock.instant();
    backend.onChange(changed::add);
  }

  int inFlight() {
    return inFlightCount.get();
  }

  /** A new member of the group on the launches topic; the attempts in flight carry on. */
  SupervisedLoop.Session open() {
    ownedPartitions.clear();
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
    applyBackpressure();
    ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
    handle(records);
    afterPublishing();
    checkChanged();
    retryAndResync();
    inFlightCount.set(inFlight.size());
  }

  private void applyBackpressure() {
    if (inFlight.size() < config.inFlightLimit()) {
      if (!consumer.paused().isEmpty()) {
        LOG.debug("{} attempts in flight: resuming", inFlight.size());
        consumer.resume(consumer.paused());
      }
      return;
    }
    Instant now = clock.instant();
    if (!now.isBefore(nextPeek)) {
      // One poll now and then, to find kills queued behind the launches that wait for room.
      nextPeek = now.plus(PEEK_INTERVAL);
      consumer.resume(consumer.paused());
      return;
    }
    Set<TopicPartition> active = new HashSet<>(consumer.assignment());
    active.removeAll(consumer.paused());
    if (!active.isEmpty()) {
      consumer.pause(active);
      LOG.debug("{} attempts in flight: paused {}", inFlight.size(), active);
    }
  }

  /**
   * Handles the records in order up to the first launch there is no room for; past it, only kills
   * are acted on (a kill of a launch not read yet is remembered). New launches are announced with
   * TaskAccepted first; once the broker has every announcement, what was handled is committed, and
   * only then are the commands carried out. So an attempt runs at most once: a launch whose offset
   * could not be committed (its partition is moving) is read again, here or by its next owner, and
   * never started by both; one committed but not started because this executor died is failed as
   * lost by the scheduler once its TaskAccepted's holder stops heartbeating.
   */
  private void handle(ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    List<ExecutorCommand> commands = new ArrayList<>();
    List<KillTask> killsAhead = new ArrayList<>();
    Set<AttemptId> taking = new LinkedHashSet<>();
    for (TopicPartition partition : records.partitions()) {
      Long waiting = null;
      for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
        firstOffsets.putIfAbsent(partition, record.offset());
        ExecutorCommand command = decode(record, waiting == null);
        if (waiting != null) {
          if (command instanceof KillTask kill) {
            killsAhead.add(kill);
          }
          continue;
        }
        if (command instanceof LaunchTask launch && !inFlight.containsKey(AttemptId.of(launch))) {
          if (!taking.contains(AttemptId.of(launch))
              && inFlight.size() + taking.size() >= config.inFlightLimit()) {
            waiting = record.offset();
            continue;
          }
          taking.add(AttemptId.of(launch));
        }
        if (command != null) {
          commands.add(command);
        }
        handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
      }
      if (waiting != null) {
        consumer.seek(partition, waiting); // read again once there is room
      }
    }
    announce(commands);
    if (!commit(handled)) {
      // Nothing of this batch is carried out: read it again once the group settled.
      firstOffsets.forEach((partition, offset) -> consumer.seek(partition, offset));
      return;
    }
    commands.forEach(this::dispatch);
    killsAhead.forEach(this::killAhead);
  }

  /** Commits {@code offsets}; false when the group is rebalancing or the partitions moved. */
  private boolean commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return true;
    }
    try {
      consumer.commitSync(offsets);
      return true;
    } catch (RebalanceInProgressException | CommitFailedException e) {
      LOG.info("Could not commit {} ({}): reading them again", offsets.keySet(), e.toString());
      return false;
    }
  }

  /**
   * Publishes TaskAccepted for each launch taken now (or taken before without the broker having its
   * announcement), and waits until the broker has them all: only then are their offsets committed
   * and they started. One that could not be written fails the step before anything was committed or
   * started, so the launches are read again and announced again.
   */
  private void announce(List<ExecutorCommand> commands) {
    Map<AttemptId, Future<RecordMetadata>> sent = new LinkedHashMap<>();
    for (ExecutorCommand command : commands) {
      if (command instanceof LaunchTask launch) {
        AttemptId id = AttemptId.of(launch);
        Tracked known = inFlight.get(id);
        if ((known == null || !known.accepted) && !sent.containsKey(id)) {
          sent.put(id, outcomes.accepted(id, config.executorId(), clock.instant()));
        }
      }
    }
    long waitMillis = Math.max(10_000, config.heartbeatInterval().toMillis() * 10);
    for (Map.Entry<AttemptId, Future<RecordMetadata>> entry : sent.entrySet()) {
      AttemptId id = entry.getKey();
      try {
        entry.getValue().get(waitMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        throw new KafkaException(
            "Expected the broker to take TaskAccepted of " + id + ", but: " + cause, cause);
      }
      Tracked known = inFlight.get(id);
      if (known != null) {
        known.accepted = true;
      }
    }
  }

  private void killAhead(KillTask kill) {
    AttemptId id = AttemptId.of(kill);
    if (inFlight.containsKey(id)) {
      Mdc.with(id, () -> kill(id, kill.reason()));
    } else if (killedEarly.add(id)) {
      LOG.info("Kill of {} read before its launch: the launch will not start", id);
    }
  }

  private ExecutorCommand decode(ConsumerRecord<String, byte[]> record, boolean deadLetter) {
    try {
      return MessageCodec.decode(record.value(), ExecutorCommand.class);
    } catch (InvalidMessageException e) {
      if (!deadLetter) {
        return null; // read ahead: dead-lettered when its turn comes
      }
      LOG.warn(
          "Dead-lettering {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      outcomes.deadLetter(record, e.getMessage());
      return null;
    }
  }

  private void dispatch(ExecutorCommand command) {
    if (command instanceof LaunchTask launch) {
      AttemptId id = AttemptId.of(launch);
      Mdc.with(id, () -> launch(id, launch));
    } else if (command instanceof KillTask kill) {
      AttemptId id = AttemptId.of(kill);
      Mdc.with(id, () -> kill(id, kill.reason()));
    } else if (command instanceof ReleaseRun release) {
      try {
        backend.release(release.dag(), release.runId());
      } catch (RuntimeException e) {
        LOG.error("Could not release run {} of {}", release.runId(), release.dag(), e);
      }
    }
  }

  private void launch(AttemptId id, LaunchTask launch) {
    if (inFlight.containsKey(id)) {
      LOG.debug("Launch of {} delivered again: it is in flight already", id);
      return;
    }
    Tracked tracked = new Tracked(launch);
    tracked.accepted = true; // announced before it was dispatched
    inFlight.put(id, tracked);
    if (killedEarly.remove(id)) {
      apply(
          id,
          tracked,
          PhaseInfo.failed(FailureKind.KILLED, null, "killed before it started", clock.instant()));
      return;
    }
    apply(id, tracked, start(id, launch));
  }

  private PhaseInfo start(AttemptId id, LaunchTask launch) {
    try {
      return backend.start(launch);
    } catch (RuntimeException e) {
      LOG.error("Could not start {}", id, e);
      return PhaseInfo.failed(FailureKind.LOST, null, "executor error: " + e, clock.instant());
    }
  }

  private void kill(AttemptId id, String reason) {
    Tracked tracked = inFlight.get(id);
    if (tracked == null) {
      LOG.info("Nothing to kill: {} is not in flight here", id);
      return;
    }
    if (tracked.phase == Phase.NotReady) {
      apply(
          id,
          tracked,
          PhaseInfo.failed(FailureKind.KILLED, null, "killed before it started", clock.instant()));
      return;
    }
    try {
      backend.kill(id, reason);
    } catch (RuntimeException e) {
      LOG.error("Could not kill {}", id, e);
    }
  }

  /** Publishes what changed, and lets go of an attempt that ended. */
  private void apply(AttemptId id, Tracked tracked, PhaseInfo phase) {
    Instant at = phase.at() != null ? phase.at() : clock.instant();
    tracked.phase = phase.phase();
    switch (phase.phase()) {
      case Queued -> {}
      case NotReady -> {
        tracked.retryAt = clock.instant().plus(config.notReadyRetry());
        LOG.info("Start of {} refused for now: {}", id, phase.message());
      }
      case Running -> publishStart(id, tracked, at);
      case Succeeded, RetryableFailure, PermanentFailure -> {
        FailureKind kind = phase.failureKind();
        if (kind == null || kind == FailureKind.EXITED || kind == FailureKind.TIMED_OUT) {
          publishStart(id, tracked, at);
        }
        inFlight.remove(id);
        LOG.info("Attempt {} ended: {} {}", id, phase.phase(), kind == null ? "" : kind);
        outcomes.ended(id, phase, at, ok -> (ok ? published : unpublished).add(id));
      }
    }
  }

  private void publishStart(AttemptId id, Tracked tracked, Instant at) {
    if (!tracked.startPublished) {
      tracked.startPublished = true;
      outcomes.started(id, at);
    }
  }

  private void afterPublishing() {
    for (AttemptId id : drain(published)) {
      try {
        backend.finish(id);
      } catch (RuntimeException e) {
        LOG.warn("Could not finish {}: {}", id, e.toString());
      }
    }
    for (AttemptId id : drain(unpublished)) {
      Tracked again = new Tracked(null);
      again.startPublished = true;
      again.accepted = true;
      inFlight.putIfAbsent(id, again); // checked again below, and published again
      changed.add(id);
    }
  }

  private void checkChanged() {
    for (AttemptId id : new LinkedHashSet<>(drain(changed))) {
      Tracked tracked = inFlight.get(id);
      if (tracked != null && tracked.phase != Phase.NotReady) {
        check(id, tracked);
      }
    }
  }

  private void retryAndResync() {
    Instant now = clock.instant();
    boolean resync = !now.isBefore(nextResync);
    if (resync) {
      nextResync = now.plus(config.resyncInterval());
    }
    for (Map.Entry<AttemptId, Tracked> entry : new ArrayList<>(inFlight.entrySet())) {
      Tracked tracked = entry.getValue();
      AttemptId id = entry.getKey();
      if (tracked.phase == Phase.NotReady) {
        if (tracked.launch != null && !now.isBefore(tracked.retryAt)) {
          Mdc.with(id, () -> apply(id, tracked, start(id, tracked.launch)));
        }
      } else if (resync) {
        check(id, tracked);
      }
    }
  }

  private void check(AttemptId id, Tracked tracked) {
    Mdc.with(
        id,
        () -> {
          try {
            apply(id, tracked, backend.check(id));
          } catch (RuntimeException e) {
            LOG.warn("Could not check {}: {}", id, e.toString());
          }
        });
  }

  private static <T> List<T> drain(LinkedBlockingQueue<T> queue) {
    List<T> items = new ArrayList<>();
    queue.drainTo(items);
    return items;
  }

  private boolean owns(String dag) {
    List<org.apache.kafka.common.PartitionInfo> partitions =
        consumer.partitionsFor(config.topics().taskLaunches());
    if (partitions == null || partitions.isEmpty()) {
      return false;
    }
    // The partition the scheduler's producer picks for a launch keyed by this DAG.
    int partition =
        BuiltInPartitioner.partitionForKey(dag.getBytes(StandardCharsets.UTF_8), partitions.size());
    return ownedPartitions.contains(partition);
  }

  /** Adopts the running attempts of the DAGs whose partitions this worker gets. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      partitions.forEach(p -> ownedPartitions.add(p.partition()));
      if (partitions.isEmpty()) {
        return;
      }
      try {
        for (AttemptId id : backend.adopt(WorkerLoop.this::owns)) {
          Tracked adopted = new Tracked(null);
          if (inFlight.putIfAbsent(id, adopted) == null) {
            LOG.info("Adopted {}", id);
            adopted.accepted = true; // announced now, with no offset to hold back
            outcomes.accepted(id, config.executorId(), clock.instant());
            changed.add(id);
          }
        }
      } catch (RuntimeException e) {
        LOG.error("Could not adopt the attempts of {}", partitions, e);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(p -> ownedPartitions.remove(p.partition()));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }
  }
}

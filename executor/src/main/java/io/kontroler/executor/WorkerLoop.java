package io.kontroler.executor;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's single thread: reads commands, hands launches to the backend, follows attempts and
 * publishes their outcomes. Offsets are committed once the commands before them were handed over;
 * when {@code inFlightLimit} attempts run, the consumer is paused (the first launch it could not
 * take is read again later), except for one poll a second that looks past the waiting launches for
 * kills, so that a cancel does not wait for a free slot.
 */
final class WorkerLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);

  /** How often a full worker reads past its waiting launches for kills. */
  private static final Duration PEEK_INTERVAL = Duration.ofSeconds(1);

  private final ExecutorConfig config;
  private final Consumer<String, byte[]> consumer;
  private final Outcomes outcomes;
  private final TaskBackend backend;
  private final Map<AttemptId, Tracked> inFlight = new HashMap<>();
  private final LinkedBlockingQueue<AttemptId> changed = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<AttemptId> published = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<AttemptId> unpublished = new LinkedBlockingQueue<>();
  private final Set<Integer> ownedPartitions = new HashSet<>();
  private final Set<AttemptId> killedEarly = new HashSet<>();
  private final AtomicInteger inFlightCount = new AtomicInteger();
  private volatile boolean running = true;
  private Instant nextResync = Instant.now();
  private Instant nextPeek = Instant.now();

  WorkerLoop(
      ExecutorConfig config,
      Consumer<String, byte[]> consumer,
      Outcomes outcomes,
      TaskBackend backend) {
    this.config = config;
    this.consumer = consumer;
    this.outcomes = outcomes;
    this.backend = backend;
  }

  int inFlight() {
    return inFlightCount.get();
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }

  @Override
  public void run() {
    backend.onChange(changed::add);
    consumer.subscribe(List.of(config.topics().taskLaunches()), new Rebalance());
    try {
      while (running) {
        applyBackpressure();
        ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
        handle(records);
        afterPublishing();
        checkChanged();
        retryAndResync();
        inFlightCount.set(inFlight.size());
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close();
    }
  }

  private void applyBackpressure() {
    if (inFlight.size() < config.inFlightLimit()) {
      if (!consumer.paused().isEmpty()) {
        LOG.debug("{} attempts in flight: resuming", inFlight.size());
        consumer.resume(consumer.paused());
      }
      return;
    }
    Instant now = Instant.now();
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
   * are acted on (a kill of a launch not read yet is remembered). Commits what was handled, and
   * seeks back to the waiting launch.
   */
  private void handle(ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      Long waiting = null;
      for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
        ExecutorCommand command = decode(record, waiting == null);
        if (waiting != null) {
          if (command instanceof KillTask kill) {
            killAhead(kill);
          }
          continue;
        }
        if (isNewLaunch(command) && inFlight.size() >= config.inFlightLimit()) {
          waiting = record.offset();
          continue;
        }
        if (command != null) {
          dispatch(command);
        }
        handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
      }
      if (waiting != null) {
        consumer.seek(partition, waiting); // read again once there is room
      }
    }
    if (handled.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(handled);
    } catch (CommitFailedException e) {
      // The partitions moved: their next owner reads these commands again, and starting an
      // attempt twice adopts the first start.
      LOG.warn("Could not commit {}: {}", handled.keySet(), e.getMessage());
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

  private boolean isNewLaunch(ExecutorCommand command) {
    return command instanceof LaunchTask launch && !inFlight.containsKey(AttemptId.of(launch));
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
    inFlight.put(id, tracked);
    if (killedEarly.remove(id)) {
      apply(
          id,
          tracked,
          PhaseInfo.failed(FailureKind.KILLED, null, "killed before it started", Instant.now()));
      return;
    }
    apply(id, tracked, start(id, launch));
  }

  private PhaseInfo start(AttemptId id, LaunchTask launch) {
    try {
      return backend.start(launch);
    } catch (RuntimeException e) {
      LOG.error("Could not start {}", id, e);
      return PhaseInfo.failed(FailureKind.LOST, null, "executor error: " + e, Instant.now());
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
          PhaseInfo.failed(FailureKind.KILLED, null, "killed before it started", Instant.now()));
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
    Instant at = phase.at() != null ? phase.at() : Instant.now();
    tracked.phase = phase.phase();
    switch (phase.phase()) {
      case Queued -> {}
      case NotReady -> {
        tracked.retryAt = Instant.now().plus(config.notReadyRetry());
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
    Instant now = Instant.now();
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
    int partition =
        Utils.toPositive(Utils.murmur2(dag.getBytes(StandardCharsets.UTF_8))) % partitions.size();
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
          if (inFlight.putIfAbsent(id, new Tracked(null)) == null) {
            LOG.info("Adopted {}", id);
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

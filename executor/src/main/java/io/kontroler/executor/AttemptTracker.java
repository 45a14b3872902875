package io.kontroler.executor;

import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.ReleaseRun;
import io.kontroler.executor.Action.Noted;
import io.kontroler.executor.Intake.Read;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The attempts one worker holds and every decision about them, with no Kafka, backend or clock:
 * each event (a batch read, a command to carry out, a phase the backend reported, a publication
 * acknowledged, a partition assigned or revoked, time passing) returns the {@link Action}s to take,
 * in order, and the time comes in with the event. The {@link WorkerLoop} carries the actions out
 * and reports back what came of them. One thread uses it.
 */
final class AttemptTracker {

  /** What becomes of the attempts of a partition that moves to another worker. */
  enum Revoked {
    /** The next owner adopts them (Kubernetes Jobs): dropped here, so that one worker reports. */
    HAND_OVER,
    /** They run on this host, where no other worker sees them (processes): followed to the end. */
    KEEP
  }

  /** Whether the consumer reads on: below the limit, full, or full but looking for kills. */
  enum Flow {
    OPEN,
    /** Full, but one poll now reads past the waiting launches for kills. */
    PEEK,
    FULL
  }

  /** How the tracker decides: the limit of attempts in flight, and its timings. */
  record Settings(
      int inFlightLimit,
      Duration notReadyRetry,
      Duration resyncInterval,
      Duration peekInterval,
      Revoked revoked) {
    Settings {
      if (inFlightLimit < 1) {
        throw new IllegalArgumentException(
            "Expected an in-flight limit >= 1, but got " + inFlightLimit);
      }
      Objects.requireNonNull(notReadyRetry, "notReadyRetry");
      Objects.requireNonNull(resyncInterval, "resyncInterval");
      Objects.requireNonNull(peekInterval, "peekInterval");
      Objects.requireNonNull(revoked, "revoked");
    }
  }

  /**
   * One attempt held: its launch (null when adopted), the partition of the launches topic its
   * launch was read from (whose next owner adopts it), its last phase, whether TaskStarted was
   * published, and when a refused start is retried.
   */
  record Attempt(
      AttemptId id,
      LaunchTask launch,
      int partition,
      Phase phase,
      boolean startPublished,
      Instant retryAt) {
    Attempt withPhase(Phase next) {
      return new Attempt(id, launch, partition, next, startPublished, retryAt);
    }

    Attempt withStartPublished() {
      return new Attempt(id, launch, partition, phase, true, retryAt);
    }

    Attempt withRetryAt(Instant at) {
      return new Attempt(id, launch, partition, phase, startPublished, at);
    }
  }

  private final Settings settings;
  private final Map<AttemptId, Attempt> inFlight = new LinkedHashMap<>();

  /** Attempts that ended, until the broker has their outcome. */
  private final Map<AttemptId, Attempt> ending = new HashMap<>();

  /** Kills read past a waiting launch, by the partition they were read from. */
  private final Map<AttemptId, Integer> killedEarly = new LinkedHashMap<>();

  private final Set<Integer> owned = new HashSet<>();
  private Instant nextResync;
  private Instant nextPeek;

  /** A tracker holding nothing, that resyncs and peeks first at {@code start}. */
  AttemptTracker(Settings settings, Instant start) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.nextResync = start;
    this.nextPeek = start;
  }

  int inFlight() {
    return inFlight.size();
  }

  Optional<Attempt> attempt(AttemptId id) {
    return Optional.ofNullable(inFlight.get(id));
  }

  boolean owns(int partition) {
    return owned.contains(partition);
  }

  /**
   * Whether to read on at {@code now}: when full, the consumer pauses, except for one poll a {@code
   * peekInterval}, so that a kill queued behind waiting launches does not wait for room.
   */
  Flow flow(Instant now) {
    if (inFlight.size() < settings.inFlightLimit()) {
      return Flow.OPEN;
    }
    if (!now.isBefore(nextPeek)) {
      nextPeek = now.plus(settings.peekInterval());
      return Flow.PEEK;
    }
    return Flow.FULL;
  }

  /**
   * Decides a batch: each partition's records are taken in order up to the first new launch there
   * is no room for, which is read again later; past it only kills count (a kill of a launch not
   * taken yet is remembered, once committed) and nothing is committed. The launches taken are
   * announced before their offsets are committed, and started only after: a launch whose offset
   * could not be committed (its partition is moving) is read again, here or by its next owner, and
   * never started by both.
   */
  Intake take(List<Read> reads) {
    Map<Integer, List<Read>> byPartition = new LinkedHashMap<>();
    reads.forEach(r -> byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r));
    Set<AttemptId> taking = new LinkedHashSet<>();
    Map<Integer, Long> commit = new HashMap<>();
    Map<Integer, Long> readAgain = new HashMap<>();
    Map<Integer, Long> rewind = new HashMap<>();
    List<Read> deadLetters = new ArrayList<>();
    List<Read> commands = new ArrayList<>();
    List<Read> killsAhead = new ArrayList<>();
    byPartition.forEach(
        (partition, partitionReads) -> {
          rewind.put(partition, partitionReads.get(0).offset());
          for (Read read : partitionReads) {
            if (readAgain.containsKey(partition)) {
              if (read.command() instanceof KillTask) {
                killsAhead.add(read);
              }
              continue; // an unreadable record ahead is dead-lettered when its turn comes
            }
            if (read.command() instanceof LaunchTask launch && !holds(launch)) {
              AttemptId id = AttemptId.of(launch);
              if (!taking.contains(id)
                  && inFlight.size() + taking.size() >= settings.inFlightLimit()) {
                readAgain.put(partition, read.offset());
                continue;
              }
              taking.add(id);
            }
            (read.command() == null ? deadLetters : commands).add(read);
            commit.put(partition, read.offset() + 1);
          }
        });
    return new Intake(
        List.copyOf(taking), commit, readAgain, rewind, deadLetters, commands, killsAhead);
  }

  private boolean holds(LaunchTask launch) {
    return inFlight.containsKey(AttemptId.of(launch));
  }

  /** A command of a batch whose offsets are committed. */
  List<Action> onCommand(Read read, Instant now) {
    if (read.command() instanceof LaunchTask launch) {
      return onLaunch(launch, read.partition(), now);
    } else if (read.command() instanceof KillTask kill) {
      return onKill(kill, now);
    } else if (read.command() instanceof ReleaseRun release) {
      return List.of(new Action.Release(release.dag(), release.runId()));
    }
    return List.of();
  }

  /** A launch committed: started, unless it is in flight already or was killed first. */
  List<Action> onLaunch(LaunchTask launch, int partition, Instant now) {
    AttemptId id = AttemptId.of(launch);
    if (inFlight.containsKey(id)) {
      return List.of(new Action.Note(id, Noted.LAUNCH_DELIVERED_AGAIN, "in flight already"));
    }
    inFlight.put(id, new Attempt(id, launch, partition, Phase.Queued, false, null));
    if (killedEarly.remove(id) != null) {
      return killedBeforeStart(id, now);
    }
    return List.of(new Action.Start(launch, partition));
  }

  /** A kill committed: an attempt waiting to start ends here; a started one is stopped. */
  List<Action> onKill(KillTask kill, Instant now) {
    AttemptId id = AttemptId.of(kill);
    Attempt attempt = inFlight.get(id);
    if (attempt == null) {
      return List.of(new Action.Note(id, Noted.NOT_IN_FLIGHT, "nothing to kill"));
    }
    if (attempt.phase() == Phase.NotReady) {
      return killedBeforeStart(id, now);
    }
    return List.of(new Action.Kill(id, kill.reason()));
  }

  /** A kill read past a launch waiting for room: one not taken yet will not start. */
  List<Action> onKillAhead(Read read, Instant now) {
    KillTask kill = (KillTask) read.command();
    AttemptId id = AttemptId.of(kill);
    if (inFlight.containsKey(id)) {
      return onKill(kill, now);
    }
    if (killedEarly.putIfAbsent(id, read.partition()) == null) {
      return List.of(new Action.Note(id, Noted.KILLED_BEFORE_LAUNCH, "the launch will not start"));
    }
    return List.of();
  }

  private List<Action> killedBeforeStart(AttemptId id, Instant now) {
    return onPhase(
        id, PhaseInfo.failed(FailureKind.KILLED, null, "killed before it started", now), now);
  }

  /** The backend could not be asked to start the attempt: it is lost. */
  List<Action> onStartFailed(AttemptId id, String error, Instant now) {
    return onPhase(
        id, PhaseInfo.failed(FailureKind.LOST, null, "executor error: " + error, now), now);
  }

  /**
   * Where the backend says an attempt stands: TaskStarted once it runs (or ended having run), its
   * outcome once it ended, a retry later when the start was refused.
   */
  List<Action> onPhase(AttemptId id, PhaseInfo phase, Instant now) {
    Attempt attempt = inFlight.get(id);
    if (attempt == null) {
      return List.of();
    }
    Instant at = phase.at() != null ? phase.at() : now;
    attempt = attempt.withPhase(phase.phase());
    List<Action> actions = new ArrayList<>();
    switch (phase.phase()) {
      case Queued -> inFlight.put(id, attempt);
      case NotReady -> {
        inFlight.put(id, attempt.withRetryAt(now.plus(settings.notReadyRetry())));
        actions.add(new Action.Note(id, Noted.START_REFUSED, phase.message()));
      }
      case Running -> inFlight.put(id, started(attempt, at, actions));
      case Succeeded, RetryableFailure, PermanentFailure -> {
        FailureKind kind = phase.failureKind();
        if (kind == null || kind == FailureKind.EXITED || kind == FailureKind.TIMED_OUT) {
          attempt = started(attempt, at, actions); // it ran, even if its TaskStarted was missed
        }
        inFlight.remove(id);
        ending.put(id, attempt);
        actions.add(
            new Action.Note(id, Noted.ENDED, phase.phase() + (kind == null ? "" : " " + kind)));
        actions.add(new Action.PublishEnded(id, phase, at));
      }
    }
    return actions;
  }

  private static Attempt started(Attempt attempt, Instant at, List<Action> actions) {
    if (attempt.startPublished()) {
      return attempt;
    }
    actions.add(new Action.PublishStarted(attempt.id(), at));
    return attempt.withStartPublished();
  }

  /**
   * The broker has an attempt's outcome ({@code ok}) and the backend lets go of it; or it could not
   * be written, and the attempt is followed again, to publish its outcome again.
   */
  List<Action> onPublished(AttemptId id, boolean ok) {
    Attempt ended = ending.remove(id);
    if (ok) {
      return List.of(new Action.Finish(id));
    }
    if (ended != null) {
      inFlight.putIfAbsent(id, ended.withPhase(Phase.Queued).withStartPublished());
    }
    return inFlight.containsKey(id) ? List.of(new Action.Check(id)) : List.of();
  }

  /** The backend says the attempt's phase may have changed. */
  List<Action> onChanged(AttemptId id) {
    Attempt attempt = inFlight.get(id);
    if (attempt == null || attempt.phase() == Phase.NotReady) {
      return List.of();
    }
    return List.of(new Action.Check(id));
  }

  /**
   * Time passed: a refused start due is tried again, and once a {@code resyncInterval} every other
   * attempt is checked, in case a change was missed.
   */
  List<Action> tick(Instant now) {
    boolean resync = !now.isBefore(nextResync);
    if (resync) {
      nextResync = now.plus(settings.resyncInterval());
    }
    List<Action> actions = new ArrayList<>();
    for (Attempt attempt : inFlight.values()) {
      if (attempt.phase() == Phase.NotReady) {
        if (attempt.launch() != null && !now.isBefore(attempt.retryAt())) {
          actions.add(new Action.Start(attempt.launch(), attempt.partition()));
        }
      } else if (resync) {
        actions.add(new Action.Check(attempt.id()));
      }
    }
    return actions;
  }

  /** A new member of the group: it owns no partition until it is assigned some. */
  void onNewMember() {
    owned.clear();
  }

  /**
   * Partitions assigned: the attempts launched from them that the backend runs are adopted next.
   */
  void onAssigned(Collection<Integer> partitions) {
    owned.addAll(partitions);
  }

  /**
   * An attempt the backend runs, launched from {@code partition} (-1 when not known: never handed
   * over), adopted on assignment: announced with TaskAccepted, then checked.
   */
  List<Action> onAdopted(AttemptId id, int partition) {
    if (inFlight.containsKey(id)) {
      return List.of();
    }
    inFlight.put(id, new Attempt(id, null, partition, Phase.Queued, false, null));
    return List.of(
        new Action.Note(id, Noted.ADOPTED, "left by an earlier worker"),
        new Action.Announce(id),
        new Action.Check(id));
  }

  /**
   * Partitions revoked or lost: their kills read early are forgotten (the next owner reads them
   * again, as their offsets were not committed) and, when the next owner adopts attempts, those the
   * backend runs are dropped. An attempt whose start the backend refused stays: no other worker
   * could find it.
   */
  List<Action> onRevoked(Collection<Integer> partitions) {
    owned.removeAll(partitions);
    killedEarly.values().removeIf(partitions::contains);
    if (settings.revoked() != Revoked.HAND_OVER) {
      return List.of();
    }
    List<Action> actions = new ArrayList<>();
    inFlight
        .values()
        .removeIf(
            a -> {
              boolean drop = partitions.contains(a.partition()) && a.phase() != Phase.NotReady;
              if (drop) {
                actions.add(
                    new Action.Note(a.id(), Noted.HANDED_OVER, "partition " + a.partition()));
              }
              return drop;
            });
    return actions;
  }
}

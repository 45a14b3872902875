package io.kontroler.executor;

import io.kontroler.executor.backend.Adoptable;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Mdc;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.executor.backend.TaskBackend;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the {@link AttemptTracker}'s actions on the backend and the outcomes topic, on the
 * worker's thread, and gives the tracker back what came of them: a phase the backend answered at
 * once, and (at the next {@link #feedback()}) the broker's acknowledgements and the backend's
 * changes, which arrive on other threads.
 */
final class AttemptActions {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptActions.class);

  private final AttemptTracker tracker;
  private final TaskBackend backend;
  private final Outcomes outcomes;
  private final String executorId;
  private final ExecutorMetrics metrics;
  private final Clock clock;
  private final LinkedBlockingQueue<AttemptId> changed = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Published> published = new LinkedBlockingQueue<>();

  /** The broker's answer to an outcome published. */
  private record Published(AttemptId id, boolean ok) {}

  /** What the backend answered, or what it threw instead. */
  private record Answer<T>(T value, RuntimeException error) {}

  AttemptActions(
      AttemptTracker tracker,
      TaskBackend backend,
      Outcomes outcomes,
      String executorId,
      ExecutorMetrics metrics,
      Clock clock) {
    this.tracker = tracker;
    this.backend = backend;
    this.outcomes = outcomes;
    this.executorId = executorId;
    this.metrics = metrics;
    this.clock = clock;
    backend.onChange(changed::add);
  }

  /** Gives the tracker the acknowledgements and changes that came in, and acts on its answers. */
  void feedback() {
    List<Published> acks = new ArrayList<>();
    published.drainTo(acks);
    acks.forEach(ack -> perform(tracker.onPublished(ack.id(), ack.ok())));
    List<AttemptId> changes = new ArrayList<>();
    changed.drainTo(changes);
    new LinkedHashSet<>(changes).forEach(id -> perform(tracker.onChanged(id)));
  }

  /**
   * Adopts what the backend runs of the partitions owned: the partition its launch was read from,
   * or, when the backend did not record it, the one {@code partitionOfDag} puts its DAG on (-1: not
   * known, none is owned).
   */
  void adopt(ToIntFunction<String> partitionOfDag) {
    ToIntFunction<Adoptable> partition =
        a ->
            a.partition() != Adoptable.UNKNOWN
                ? a.partition()
                : partitionOfDag.applyAsInt(a.id().dag());
    Answer<List<Adoptable>> running =
        ask("adoption", () -> backend.adopt(a -> tracker.owns(partition.applyAsInt(a))));
    if (running.error() == null) {
      running.value().forEach(a -> perform(tracker.onAdopted(a.id(), partition.applyAsInt(a))));
    }
  }

  void perform(List<Action> actions) {
    for (Action action : actions) {
      if (action.id() == null) {
        perform(action);
      } else {
        Mdc.with(action.id(), () -> perform(action));
      }
    }
  }

  /**
   * Carries out one action. The backend's calls are the worker's boundary: an exception there is
   * logged with the attempt, and the worker carries on with the others while the tracker still
   * follows this one (a start that failed is reported as lost; a check, kill or release is tried
   * again by the next change, resync or command).
   */
  private void perform(Action action) {
    if (action instanceof Action.Start start) {
      Answer<PhaseInfo> phase =
          ask(describe(action), () -> backend.start(start.launch(), start.partition()));
      perform(
          phase.error() == null
              ? tracker.onPhase(action.id(), phase.value(), clock.instant())
              : tracker.onStartFailed(action.id(), phase.error().toString(), clock.instant()));
    } else if (action instanceof Action.Check) {
      Answer<PhaseInfo> phase = ask(describe(action), () -> backend.check(action.id()));
      if (phase.error() == null) {
        perform(tracker.onPhase(action.id(), phase.value(), clock.instant()));
      }
    } else if (action instanceof Action.Kill kill) {
      ask(describe(action), () -> done(() -> backend.kill(kill.id(), kill.reason())));
    } else if (action instanceof Action.Release release) {
      ask(describe(action), () -> done(() -> backend.release(release.dag(), release.runId())));
    } else if (action instanceof Action.Finish) {
      ask(describe(action), () -> done(() -> backend.finish(action.id())));
    } else if (action instanceof Action.Announce) {
      outcomes.accepted(action.id(), executorId, clock.instant());
    } else if (action instanceof Action.PublishStarted started) {
      outcomes.started(started.id(), started.at());
    } else if (action instanceof Action.PublishEnded ended) {
      AttemptId id = ended.id();
      outcomes.ended(
          id,
          ended.phase(),
          ended.at(),
          ok -> {
            if (ok) {
              metrics.finished(ended.phase().phase());
            }
            published.add(new Published(id, ok));
          });
    } else if (action instanceof Action.Note note) {
      log(note);
    }
  }

  private static <T> Answer<T> ask(String what, Supplier<T> call) {
    try {
      return new Answer<>(call.get(), null);
    } catch (RuntimeException e) {
      LOG.error("The backend failed: {}", what, e);
      return new Answer<>(null, e);
    }
  }

  /** The action in a few words: a launch's container, say, is no log line's business. */
  private static String describe(Action action) {
    String name = action.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    return action instanceof Action.Release release
        ? name + " of run " + release.runId() + " of " + release.dag()
        : name + " of " + action.id();
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
}

package io.kontroler.ingest.k8s;

import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunPhase;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The latest run of each DAG resource, folded from the run phase changes on {@code
 * kontroler.run-events}, for the DAG's {@code status.lastRun} (kubectl's "Last Run" column). One
 * entry per DAG that exists as a resource, holding its latest run only: memory follows the DAG
 * resources, not the history of runs. Thread-safe.
 *
 * <p>A run becomes the latest when it is created, when it runs again after it ended (a retry), or
 * when nothing is known of the DAG yet (its creation is past the topic's retention); the phase
 * changes of an older run that still runs meanwhile leave the latest alone.
 */
final class DagLastRuns {

  /** What {@code status.lastRun} says: the run's id, phase, and when it started and ended. */
  record LastRun(String id, RunPhase phase, Instant startedAt, Instant finishedAt) {
    LastRun {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(phase, "phase");
    }

    /** The status field, without the times not known. */
    Map<String, Object> toStatus() {
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("id", id);
      status.put("phase", phase.name());
      if (startedAt != null) {
        status.put("startedAt", startedAt.toString());
      }
      if (finishedAt != null) {
        status.put("finishedAt", finishedAt.toString());
      }
      return status;
    }
  }

  private final Map<String, LastRun> byDag = new HashMap<>();
  private final Predicate<String> watched;

  /**
   * @param watched whether a DAG ({@code namespace/name}) exists as a resource of the controller
   */
  DagLastRuns(Predicate<String> watched) {
    this.watched = watched;
  }

  /**
   * Applies one notification; returns the DAG whose latest run changed phase (or is another run
   * now), empty when no status needs writing.
   */
  Optional<String> apply(Object notification) {
    if (!(notification instanceof RunPhaseChanged c) || !watched.test(c.dag())) {
      return Optional.empty();
    }
    synchronized (this) {
      LastRun current = byDag.get(c.dag());
      boolean sameRun = current != null && current.id().equals(c.runId());
      if (!sameRun && !becomesLatest(current, c)) {
        return Optional.empty();
      }
      LastRun next = next(sameRun ? current : null, c);
      byDag.put(c.dag(), next);
      boolean changed = current == null || !sameRun || current.phase() != next.phase();
      return changed ? Optional.of(c.dag()) : Optional.empty();
    }
  }

  private static boolean becomesLatest(LastRun current, RunPhaseChanged c) {
    boolean created = c.from() == null;
    boolean runsAgain = c.from() != null && c.from().isFinal() && c.to() == RunPhase.Running;
    return current == null || created || runsAgain;
  }

  private static LastRun next(LastRun same, RunPhaseChanged c) {
    Instant startedAt = same == null ? null : same.startedAt();
    if (c.to() == RunPhase.Running && (startedAt == null || same.phase().isFinal())) {
      startedAt = c.at();
    }
    Instant finishedAt = c.to().isFinal() ? c.at() : null;
    return new LastRun(c.runId(), c.to(), startedAt, finishedAt);
  }

  synchronized Optional<LastRun> get(String dag) {
    return Optional.ofNullable(byDag.get(dag));
  }

  /** Forgets the DAG: its resource is gone. */
  synchronized void forget(String dag) {
    byDag.remove(dag);
  }

  /** The DAGs known, for writing every status once run-events was read up to its end. */
  synchronized List<String> dags() {
    return List.copyOf(byDag.keySet());
  }

  /** How many DAGs are followed; for checks that memory follows the resources. */
  synchronized int size() {
    return byDag.size();
  }
}

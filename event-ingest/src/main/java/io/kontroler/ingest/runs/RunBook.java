package io.kontroler.ingest.runs;

import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.validate.Problem;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The runs the ingest has heard of, by id, projected from the notifications on {@code
 * kontroler.run-events}: the active runs of each DAG (for concurrency policies) and the status of
 * runs that resources follow. Thread-safe; listeners are called after each change, outside the
 * lock.
 */
public final class RunBook {
  private final Map<String, RunView> runs = new HashMap<>();
  private final Map<String, Set<String>> activeByDag = new HashMap<>();
  private final List<Consumer<RunView>> listeners = new CopyOnWriteArrayList<>();

  public void addListener(Consumer<RunView> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<RunView> listener) {
    listeners.remove(listener);
  }

  /** Applies one notification; other records are ignored. */
  public void apply(Object notification) {
    RunView changed = null;
    synchronized (this) {
      if (notification instanceof RunPhaseChanged c) {
        changed = put(runPhaseChanged(c));
      } else if (notification instanceof TaskPhaseChanged c) {
        RunView old = runs.get(c.runId());
        if (old != null && c.from() != null && c.to() != null) {
          PhaseCounts counts = old.counts().moved(c.from(), c.to());
          changed =
              put(
                  new RunView(
                      old.runId(),
                      old.dag(),
                      old.phase(),
                      counts,
                      old.startedAt(),
                      old.finishedAt(),
                      old.message(),
                      old.problems()));
        } else if (old == null) {
          changed = put(RunView.requested(c.runId(), c.dag()));
        }
      } else if (notification instanceof RunRejected r) {
        List<String> problems =
            r.problems().isEmpty()
                ? List.of("rejected")
                : r.problems().stream().map(Problem::toString).toList();
        changed =
            put(
                new RunView(
                    r.runId(),
                    r.dag(),
                    RunPhase.Failed,
                    PhaseCounts.ZERO,
                    null,
                    r.at(),
                    "rejected: " + String.join("; ", problems),
                    problems));
      }
    }
    if (changed != null) {
      notifyListeners(changed);
    }
  }

  /**
   * Records that this node requested {@code runId}, so that a concurrency policy sees it as active
   * before the scheduler reports on it. A run already known is left as it is.
   */
  public void requested(String runId, String dag) {
    RunView view;
    synchronized (this) {
      if (runs.containsKey(runId)) {
        return;
      }
      view = put(RunView.requested(runId, dag));
    }
    notifyListeners(view);
  }

  public synchronized Optional<RunView> get(String runId) {
    return Optional.ofNullable(runs.get(runId));
  }

  /** The ids of the runs of {@code dag} that are not final, in the order they became known. */
  public synchronized List<String> activeRuns(String dag) {
    return List.copyOf(activeByDag.getOrDefault(dag, Set.of()));
  }

  private RunView runPhaseChanged(RunPhaseChanged c) {
    RunView old = runs.get(c.runId());
    var startedAt = old == null ? null : old.startedAt();
    if (c.to() == RunPhase.Running && (startedAt == null || old.phase().isFinal())) {
      startedAt = c.at();
    }
    var finishedAt = c.to().isFinal() ? c.at() : null;
    String message = c.message() != null ? c.message() : old == null ? null : old.message();
    return new RunView(
        c.runId(), c.dag(), c.to(), c.counts(), startedAt, finishedAt, message, List.of());
  }

  private RunView put(RunView view) {
    runs.put(view.runId(), view);
    Set<String> active = activeByDag.computeIfAbsent(view.dag(), k -> new LinkedHashSet<>());
    if (view.isActive()) {
      active.add(view.runId());
    } else {
      active.remove(view.runId());
      if (active.isEmpty()) {
        activeByDag.remove(view.dag());
      }
    }
    return view;
  }

  private void notifyListeners(RunView view) {
    for (Consumer<RunView> listener : listeners) {
      listener.accept(view);
    }
  }
}

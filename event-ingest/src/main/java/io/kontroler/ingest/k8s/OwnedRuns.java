package io.kontroler.ingest.k8s;

import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.validate.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The runs of the controller's DagRun and WorkFlow resources: which resource owns each run, and
 * what {@code kontroler.run-events} said of it. Only runs that a resource owns are kept, and a
 * resource that goes takes its runs with it, so memory follows the resources that exist, not the
 * history of runs; notifications about other runs are dropped. Thread-safe; the owner of a changed
 * run is handed to the listener outside the lock.
 */
public final class OwnedRuns {
  private final Map<String, WorkItem> owners = new HashMap<>();
  private final Map<String, RunSummary> runs = new HashMap<>();
  private volatile Consumer<WorkItem> listener = owner -> {};

  /** Called with the owner of every run that changed. */
  public void onChange(Consumer<WorkItem> listener) {
    this.listener = listener;
  }

  /** {@code owner} follows {@code runId} from now on. */
  public synchronized void own(String runId, WorkItem owner) {
    owners.put(runId, owner);
  }

  /** Forgets {@code runId}, e.g. the run a WorkFlow left behind when its spec changed. */
  public synchronized void disown(String runId) {
    owners.remove(runId);
    runs.remove(runId);
  }

  /** Forgets every run {@code owner} followed: the resource is gone. */
  public synchronized void release(WorkItem owner) {
    owners.entrySet().removeIf(e -> e.getValue().equals(owner));
    runs.keySet().removeIf(runId -> !owners.containsKey(runId));
  }

  /** How many runs are followed; for checks that memory follows the resources. */
  public synchronized int size() {
    return owners.size();
  }

  public synchronized Optional<RunSummary> get(String runId) {
    return Optional.ofNullable(runs.get(runId));
  }

  /** Applies one notification about an owned run; others are ignored. */
  public void apply(Object notification) {
    WorkItem owner;
    synchronized (this) {
      String runId = runIdOf(notification);
      owner = runId == null ? null : owners.get(runId);
      if (owner == null) {
        return;
      }
      RunSummary changed = fold(runs.get(runId), notification);
      if (changed == null) {
        return;
      }
      runs.put(runId, changed);
    }
    listener.accept(owner);
  }

  private static String runIdOf(Object notification) {
    if (notification instanceof RunPhaseChanged c) {
      return c.runId();
    } else if (notification instanceof TaskPhaseChanged c) {
      return c.runId();
    } else if (notification instanceof RunRejected r) {
      return r.runId();
    }
    return null;
  }

  private static RunSummary fold(RunSummary old, Object notification) {
    if (notification instanceof RunPhaseChanged c) {
      return runPhaseChanged(old, c);
    } else if (notification instanceof TaskPhaseChanged c) {
      if (old == null) {
        return RunSummary.requested(c.runId(), c.dag());
      }
      if (c.from() == null || c.to() == null) {
        return null;
      }
      PhaseCounts counts = old.counts().moved(c.from(), c.to());
      return new RunSummary(
          old.runId(),
          old.dag(),
          old.phase(),
          counts,
          old.startedAt(),
          old.finishedAt(),
          old.message(),
          old.problems());
    } else if (notification instanceof RunRejected r) {
      List<String> problems =
          r.problems().isEmpty()
              ? List.of("rejected")
              : r.problems().stream().map(Problem::toString).toList();
      return new RunSummary(
          r.runId(),
          r.dag(),
          RunPhase.Failed,
          PhaseCounts.ZERO,
          null,
          r.at(),
          "rejected: " + String.join("; ", problems),
          problems);
    }
    return null;
  }

  private static RunSummary runPhaseChanged(RunSummary old, RunPhaseChanged c) {
    var startedAt = old == null ? null : old.startedAt();
    if (c.to() == RunPhase.Running && (startedAt == null || old.phase().isFinal())) {
      startedAt = c.at();
    }
    var finishedAt = c.to().isFinal() ? c.at() : null;
    String message = c.message() != null ? c.message() : old == null ? null : old.message();
    return new RunSummary(
        c.runId(), c.dag(), c.to(), c.counts(), startedAt, finishedAt, message, List.of());
  }
}

package io.kontroler.api.logs;

import io.kontroler.api.dags.DagStore;
import io.kontroler.api.runs.RunStore;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.run.RunPhase;
import java.util.Optional;

/**
 * Whether a log that is not stored yet may still come: the run declares or reported the task (or is
 * not accepted yet), the attempt is one it has (or its first), and the run has not finished.
 * Following anything else would wait for ever, so it is answered 404 at once.
 */
final class KnownAttempts {
  private final RunStore runs;
  private final DagStore dags;

  KnownAttempts(RunStore runs, DagStore dags) {
    this.runs = runs;
    this.dags = dags;
  }

  /** Why no log of {@code task}'s {@code attempt} will come, or empty when one may. */
  Optional<String> whyNever(RunStore.RunRow run, String task, int attempt) {
    Optional<RunStore.TaskRow> reported = runs.task(run.id(), task);
    // A run the scheduler has not accepted yet has no version: its tasks are not known yet.
    boolean declared =
        run.dagVersion() == null
            || dags.version(run.dag(), run.dagVersion()).stream()
                .flatMap(v -> v.spec().task().stream())
                .map(TaskSpec::name)
                .anyMatch(task::equals);
    if (reported.isEmpty() && !declared) {
      return Optional.of("run '" + run.id() + "' has no task '" + task + "'");
    }
    int latest = reported.map(RunStore.TaskRow::attempt).orElse(0);
    if (attempt < 1 || attempt > Math.max(1, latest)) {
      return Optional.of(
          "expected an attempt of task '"
              + task
              + "' in 1.."
              + Math.max(1, latest)
              + ", but got "
              + attempt);
    }
    if (finished(run.phase())) {
      return Optional.of(
          "run '" + run.id() + "' is " + run.phase() + " and attempt " + attempt + " has no log");
    }
    return Optional.empty();
  }

  private static boolean finished(String phase) {
    try {
      return RunPhase.valueOf(phase).isFinal();
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }
}

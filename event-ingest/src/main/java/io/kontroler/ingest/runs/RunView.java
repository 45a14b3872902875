package io.kontroler.ingest.runs;

import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunPhase;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the ingest knows about one run, projected from {@code kontroler.run-events}.
 *
 * @param runId the run
 * @param dag the DAG's {@code namespace/name}
 * @param phase the run's phase; {@link RunPhase#Failed} for a rejected run
 * @param counts tasks per phase
 * @param startedAt when the run last started running, or null
 * @param finishedAt when it ended, or null while it is not final
 * @param message the last message of the run, or null
 * @param problems why the run was rejected; empty otherwise
 */
public record RunView(
    String runId,
    String dag,
    RunPhase phase,
    PhaseCounts counts,
    Instant startedAt,
    Instant finishedAt,
    String message,
    List<String> problems) {

  public RunView {
    Objects.requireNonNull(phase, "phase");
    counts = Objects.requireNonNullElse(counts, PhaseCounts.ZERO);
    problems = List.copyOf(Objects.requireNonNullElse(problems, List.of()));
  }

  /** A run that was requested and not yet heard of. */
  public static RunView requested(String runId, String dag) {
    return new RunView(runId, dag, RunPhase.Pending, PhaseCounts.ZERO, null, null, null, List.of());
  }

  public boolean isActive() {
    return !phase.isFinal();
  }

  public boolean rejected() {
    return !problems.isEmpty();
  }

  /** {@code succeeded/total}, e.g. {@code 3/5}. */
  public String progress() {
    return counts.succeeded() + "/" + counts.total();
  }
}

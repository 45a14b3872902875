package io.kontroler.ingest.k8s;

import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunPhase;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the status of a DagRun or WorkFlow says about its run, folded from the notifications on
 * {@code kontroler.run-events}.
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
public record RunSummary(
    String runId,
    String dag,
    RunPhase phase,
    PhaseCounts counts,
    Instant startedAt,
    Instant finishedAt,
    String message,
    List<String> problems) {

  public RunSummary {
    Objects.requireNonNull(phase, "phase");
    counts = Objects.requireNonNullElse(counts, PhaseCounts.ZERO);
    problems = List.copyOf(Objects.requireNonNullElse(problems, List.of()));
  }

  /** A run that was requested and not yet heard of. */
  public static RunSummary requested(String runId, String dag) {
    return new RunSummary(
        runId, dag, RunPhase.Pending, PhaseCounts.ZERO, null, null, null, List.of());
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

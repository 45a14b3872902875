package io.kontroler.core.run;

import io.kontroler.core.dag.ParameterValue;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The run-level state of one run; task states are kept apart ({@link TaskState}) so that one event
 * rewrites only what it changes.
 */
public record RunState(
    String runId,
    String dag,
    int dagVersion,
    String runName,
    RunPhase phase,
    Map<String, ParameterValue> parameters,
    PhaseCounts counts,
    boolean cancelRequested,
    Instant requestedAt,
    Instant startedAt,
    Instant finishedAt,
    String message) {

  public RunState {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(phase, "phase");
    parameters = Map.copyOf(Objects.requireNonNullElse(parameters, Map.of()));
    counts = Objects.requireNonNullElse(counts, PhaseCounts.ZERO);
  }

  public RunState withPhase(RunPhase next, Instant finished, String why) {
    return new RunState(
        runId,
        dag,
        dagVersion,
        runName,
        phase.becoming(next),
        parameters,
        counts,
        cancelRequested,
        requestedAt,
        startedAt,
        finished,
        why);
  }

  public RunState withCounts(PhaseCounts value) {
    return new RunState(
        runId,
        dag,
        dagVersion,
        runName,
        phase,
        parameters,
        value,
        cancelRequested,
        requestedAt,
        startedAt,
        finishedAt,
        message);
  }

  public RunState withCancelRequested(boolean value) {
    return new RunState(
        runId,
        dag,
        dagVersion,
        runName,
        phase,
        parameters,
        counts,
        value,
        requestedAt,
        startedAt,
        finishedAt,
        message);
  }
}

package io.kontroler.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kontroler.core.dag.ParameterValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The run-level state of one run; task states are kept apart ({@link TaskState}) so that one event
 * rewrites only what it changes. The fields added with the workflow language are left out of the
 * JSON at their defaults, so that a state written before them reads and writes back as it was.
 *
 * @param logicalDate the schedule slot the run stands for ({@code {{ run.logicalDate }}}); null for
 *     a run that stands for its request time
 * @param exitUnfinished exit tasks ({@code spec.onExit}) not final yet; the main tasks are all
 *     final when {@code counts.unfinished() == exitUnfinished}
 * @param allowedFailures failed tasks with {@code allowFailure}: shown, but not failing the run
 * @param mainOutcome what the main tasks came to (Succeeded, Failed or Cancelled), set when they
 *     are all final; exit tasks see it as {@code {{ run.phase }}}
 * @param parent the run whose {@code dagRef} task started this one, told when this run ends; null
 *     for a top-level run
 * @param paused no new attempt of a task starts until the run is resumed; running ones go on
 * @param slaMissed the tasks (and {@link #RUN_SLA} for the run itself) whose SLA miss has been
 *     published: each is published once per run
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
    String message,
    Instant logicalDate,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int exitUnfinished,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int allowedFailures,
    RunPhase mainOutcome,
    @JsonInclude(JsonInclude.Include.NON_NULL) ParentRun parent,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean paused,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> slaMissed) {

  /** The name in {@link #slaMissed} that stands for the run's own SLA. */
  public static final String RUN_SLA = "";

  public RunState {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(phase, "phase");
    parameters = Map.copyOf(Objects.requireNonNullElse(parameters, Map.of()));
    counts = Objects.requireNonNullElse(counts, PhaseCounts.ZERO);
    slaMissed = List.copyOf(Objects.requireNonNullElse(slaMissed, List.of()));
  }

  /** A run state without pause and deadlines. */
  public RunState(
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
      String message,
      Instant logicalDate,
      int exitUnfinished,
      int allowedFailures,
      RunPhase mainOutcome,
      ParentRun parent) {
    this(
        runId,
        dag,
        dagVersion,
        runName,
        phase,
        parameters,
        counts,
        cancelRequested,
        requestedAt,
        startedAt,
        finishedAt,
        message,
        logicalDate,
        exitUnfinished,
        allowedFailures,
        mainOutcome,
        parent,
        false,
        List.of());
  }

  /** A run state without the workflow-language fields. */
  public RunState(
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
    this(
        runId,
        dag,
        dagVersion,
        runName,
        phase,
        parameters,
        counts,
        cancelRequested,
        requestedAt,
        startedAt,
        finishedAt,
        message,
        null,
        0,
        0,
        null,
        null);
  }

  /** A run state of the workflow language's first part, without a parent. */
  public RunState(
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
      String message,
      Instant logicalDate,
      int exitUnfinished,
      int allowedFailures,
      RunPhase mainOutcome) {
    this(
        runId,
        dag,
        dagVersion,
        runName,
        phase,
        parameters,
        counts,
        cancelRequested,
        requestedAt,
        startedAt,
        finishedAt,
        message,
        logicalDate,
        exitUnfinished,
        allowedFailures,
        mainOutcome,
        null);
  }

  /** The same state with {@code value} as the run that started it. */
  public RunState withParent(ParentRun value) {
    return new RunState(
        runId,
        dag,
        dagVersion,
        runName,
        phase,
        parameters,
        counts,
        cancelRequested,
        requestedAt,
        startedAt,
        finishedAt,
        message,
        logicalDate,
        exitUnfinished,
        allowedFailures,
        mainOutcome,
        value,
        paused,
        slaMissed);
  }

  /** The same state, paused (no new attempt starts) or not. */
  public RunState withPaused(boolean value) {
    return new RunState(
        runId,
        dag,
        dagVersion,
        runName,
        phase,
        parameters,
        counts,
        cancelRequested,
        requestedAt,
        startedAt,
        finishedAt,
        message,
        logicalDate,
        exitUnfinished,
        allowedFailures,
        mainOutcome,
        parent,
        value,
        slaMissed);
  }

  /** The same state with {@code name} (a task, or {@link #RUN_SLA} for the run) past its SLA. */
  public RunState withSlaMissed(String name) {
    List<String> missed = new java.util.ArrayList<>(slaMissed);
    missed.add(name);
    return new RunState(
        runId,
        dag,
        dagVersion,
        runName,
        phase,
        parameters,
        counts,
        cancelRequested,
        requestedAt,
        startedAt,
        finishedAt,
        message,
        logicalDate,
        exitUnfinished,
        allowedFailures,
        mainOutcome,
        parent,
        paused,
        missed);
  }

  /** How deep this run is in a chain of sub-DAG runs: 0 for a top-level run. */
  public int depth() {
    return parent == null ? 0 : parent.depth();
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
        why,
        logicalDate,
        exitUnfinished,
        allowedFailures,
        mainOutcome,
        parent,
        paused,
        slaMissed);
  }

  /** Started at {@code at}: Running, with the phase changes so far kept. */
  public RunState startedAt(Instant at) {
    return new RunState(
        runId,
        dag,
        dagVersion,
        runName,
        phase.becoming(RunPhase.Running),
        parameters,
        counts,
        false,
        requestedAt,
        at,
        null,
        null,
        logicalDate,
        exitUnfinished,
        allowedFailures,
        mainOutcome,
        parent,
        paused,
        slaMissed);
  }

  public RunState withCounts(PhaseCounts value) {
    return withTallies(value, exitUnfinished, allowedFailures);
  }

  /** The same state with new task counts, exit tasks unfinished and allowed failures. */
  public RunState withTallies(PhaseCounts value, int exits, int allowed) {
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
        message,
        logicalDate,
        exits,
        allowed,
        mainOutcome,
        parent,
        paused,
        slaMissed);
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
        message,
        logicalDate,
        exitUnfinished,
        allowedFailures,
        mainOutcome,
        parent,
        paused,
        slaMissed);
  }

  public RunState withMainOutcome(RunPhase value) {
    return new RunState(
        runId,
        dag,
        dagVersion,
        runName,
        phase,
        parameters,
        counts,
        cancelRequested,
        requestedAt,
        startedAt,
        finishedAt,
        message,
        logicalDate,
        exitUnfinished,
        allowedFailures,
        value,
        parent,
        paused,
        slaMissed);
  }

  /** The main tasks ({@code spec.task}) not final yet. */
  public int mainUnfinished() {
    return counts.unfinished() - exitUnfinished;
  }

  /** Failed tasks that fail the run: all but those with {@code allowFailure}. */
  public int failuresThatCount() {
    return counts.failed() - allowedFailures;
  }

  /** {@code {{ run.logicalDate }}}: the schedule slot, or the request time. */
  public Instant logicalDateOrRequest() {
    return logicalDate != null ? logicalDate : requestedAt;
  }
}

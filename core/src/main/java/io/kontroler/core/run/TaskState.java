package io.kontroler.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The state of one task in one run. The upstream counters let the task's trigger rule be decided as
 * each upstream task ends, without looking at the others again: of its {@code n} upstream tasks,
 * {@code unmetUpstream} are not final yet, {@code upstreamFailed} failed, {@code upstreamSkipped}
 * were skipped or cancelled, and the rest succeeded. The fields added with the workflow language
 * are left out of the JSON at their defaults, so that a state written before them reads and writes
 * back as it was (and means the same: its upstream tasks had neither failed nor been skipped).
 *
 * @param attempt the latest attempt launched, 0 before the first
 * @param retryBase the attempt after which the current retry budget started (0, or the last attempt
 *     before a manual retry of the run)
 * @param lost attempts of the current budget lost to the infrastructure (a stopped executor, an
 *     evicted pod) and retried without counting against {@code backoff.limit}
 * @param unmetUpstream upstream tasks that are not final yet
 * @param executor the executor that accepted the current attempt and holds it (null before one
 *     did); cleared when the next attempt is queued
 * @param upstreamFailed upstream tasks that failed for good
 * @param upstreamSkipped upstream tasks that were skipped or cancelled
 * @param outputs the values the succeeded attempt wrote for the task's declared outputs
 * @param fanOut the progress of a {@code forEach} task's instances once they are created; null for
 *     other tasks, and for instances
 * @param waitingForPool attempt {@code attempt + 1} of a task with a {@code pool} asked for a slot
 *     and waits for it (the task is Pending or Retrying meanwhile); cleared when it is queued or
 *     ends
 */
public record TaskState(
    String name,
    TaskPhase phase,
    int attempt,
    int retryBase,
    int lost,
    int unmetUpstream,
    Integer exitCode,
    FailureKind failureKind,
    String message,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    String executor,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int upstreamFailed,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int upstreamSkipped,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> outputs,
    @JsonInclude(JsonInclude.Include.NON_NULL) FanOut fanOut,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean waitingForPool) {

  public TaskState {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phase, "phase");
    outputs = sortedCopy(outputs);
  }

  private static final Class<?> SORTED_COPY =
      Collections.unmodifiableSortedMap(new TreeMap<>()).getClass();

  /** The outputs in name order, unmodifiable; copied once, not on every change of the state. */
  private static Map<String, String> sortedCopy(Map<String, String> outputs) {
    if (outputs == null || outputs.isEmpty()) {
      return Map.of();
    }
    if (outputs.getClass() == SORTED_COPY) {
      return outputs;
    }
    return Collections.unmodifiableSortedMap(new TreeMap<>(outputs));
  }

  public static TaskState pending(String name, int unmetUpstream) {
    return new TaskState(
        name,
        TaskPhase.Pending,
        0,
        0,
        0,
        unmetUpstream,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        0,
        Map.of(),
        null,
        false);
  }

  public TaskState withPhase(TaskPhase next) {
    return new TaskState(
        name,
        next,
        attempt,
        retryBase,
        lost,
        unmetUpstream,
        exitCode,
        failureKind,
        message,
        queuedAt,
        startedAt,
        finishedAt,
        executor,
        upstreamFailed,
        upstreamSkipped,
        outputs,
        fanOut,
        waitingForPool);
  }

  public TaskState withUnmetUpstream(int value) {
    return withUpstream(value, upstreamFailed, upstreamSkipped);
  }

  /** The same state with new upstream counters (see the class comment). */
  public TaskState withUpstream(int unmet, int failed, int skipped) {
    return new TaskState(
        name,
        phase,
        attempt,
        retryBase,
        lost,
        unmet,
        exitCode,
        failureKind,
        message,
        queuedAt,
        startedAt,
        finishedAt,
        executor,
        failed,
        skipped,
        outputs,
        fanOut,
        waitingForPool);
  }

  /** Queued as attempt {@code next} at {@code at}; the previous attempt's outcome is cleared. */
  public TaskState queued(int next, Instant at) {
    return new TaskState(
        name,
        TaskPhase.Queued,
        next,
        retryBase,
        lost,
        unmetUpstream,
        null,
        null,
        null,
        at,
        null,
        null,
        null,
        upstreamFailed,
        upstreamSkipped,
        Map.of(),
        fanOut,
        false);
  }

  /**
   * Attempt {@code next} of an approval task, waiting for a decision since {@code at}: Running with
   * no executor, {@code why} as its message.
   */
  public TaskState awaitingApproval(int next, Instant at, String why) {
    return new TaskState(
        name,
        TaskPhase.Running,
        next,
        retryBase,
        lost,
        unmetUpstream,
        null,
        null,
        why,
        at,
        at,
        null,
        null,
        upstreamFailed,
        upstreamSkipped,
        Map.of(),
        fanOut,
        false);
  }

  public TaskState started(Instant at) {
    return new TaskState(
        name,
        TaskPhase.Running,
        attempt,
        retryBase,
        lost,
        unmetUpstream,
        exitCode,
        failureKind,
        message,
        queuedAt,
        at,
        finishedAt,
        executor,
        upstreamFailed,
        upstreamSkipped,
        outputs,
        fanOut,
        false);
  }

  public TaskState ended(TaskPhase next, Integer code, FailureKind kind, String why, Instant at) {
    return new TaskState(
        name,
        next,
        attempt,
        retryBase,
        lost,
        unmetUpstream,
        code,
        kind,
        why,
        queuedAt,
        startedAt,
        at,
        executor,
        upstreamFailed,
        upstreamSkipped,
        outputs,
        fanOut,
        false);
  }

  /** The same state with the outputs its succeeded attempt wrote. */
  public TaskState withOutputs(Map<String, String> values) {
    return new TaskState(
        name,
        phase,
        attempt,
        retryBase,
        lost,
        unmetUpstream,
        exitCode,
        failureKind,
        message,
        queuedAt,
        startedAt,
        finishedAt,
        executor,
        upstreamFailed,
        upstreamSkipped,
        values,
        fanOut,
        waitingForPool);
  }

  /** Back to Pending for a manual retry of the run, with a fresh retry budget. */
  public TaskState reset(int unmet) {
    return new TaskState(
        name,
        TaskPhase.Pending,
        attempt,
        attempt,
        0,
        unmet,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        0,
        Map.of(),
        null,
        false);
  }

  /** The same state with the progress of its instances ({@code forEach} tasks). */
  public TaskState withFanOut(FanOut value) {
    return new TaskState(
        name,
        phase,
        attempt,
        retryBase,
        lost,
        unmetUpstream,
        exitCode,
        failureKind,
        message,
        queuedAt,
        startedAt,
        finishedAt,
        executor,
        upstreamFailed,
        upstreamSkipped,
        outputs,
        value,
        waitingForPool);
  }

  /** Attempts made in the current retry budget, less those lost to the infrastructure. */
  public int attemptsInBudget() {
    return attempt - retryBase - lost;
  }

  /** The same state with one more attempt lost to the infrastructure. */
  public TaskState withLostAttempt() {
    return new TaskState(
        name,
        phase,
        attempt,
        retryBase,
        lost + 1,
        unmetUpstream,
        exitCode,
        failureKind,
        message,
        queuedAt,
        startedAt,
        finishedAt,
        executor,
        upstreamFailed,
        upstreamSkipped,
        outputs,
        fanOut,
        waitingForPool);
  }

  /** The same state held by {@code holder} from now on. */
  public TaskState withExecutor(String holder) {
    return new TaskState(
        name,
        phase,
        attempt,
        retryBase,
        lost,
        unmetUpstream,
        exitCode,
        failureKind,
        message,
        queuedAt,
        startedAt,
        finishedAt,
        holder,
        upstreamFailed,
        upstreamSkipped,
        outputs,
        fanOut,
        waitingForPool);
  }

  /**
   * The same state waiting ({@code waiting}) for a slot of its pool for attempt {@code attempt +
   * 1}, or no longer waiting.
   */
  public TaskState withWaitingForPool(boolean waiting) {
    return new TaskState(
        name,
        phase,
        attempt,
        retryBase,
        lost,
        unmetUpstream,
        exitCode,
        failureKind,
        message,
        queuedAt,
        startedAt,
        finishedAt,
        executor,
        upstreamFailed,
        upstreamSkipped,
        outputs,
        fanOut,
        waiting);
  }
}

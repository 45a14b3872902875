package io.kontroler.core.run;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of one task in one run.
 *
 * @param attempt the latest attempt launched, 0 before the first
 * @param retryBase the attempt after which the current retry budget started (0, or the last attempt
 *     before a manual retry of the run)
 * @param lost attempts of the current budget lost to the infrastructure (a stopped executor, an
 *     evicted pod) and retried without counting against {@code backoff.limit}
 * @param unmetUpstream upstream tasks that have not succeeded yet; the task is ready at 0
 * @param executor the executor that accepted the current attempt and holds it (null before one
 *     did); cleared when the next attempt is queued
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
    String executor) {

  public TaskState {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phase, "phase");
  }

  public static TaskState pending(String name, int unmetUpstream) {
    return new TaskState(
        name, TaskPhase.Pending, 0, 0, 0, unmetUpstream, null, null, null, null, null, null, null);
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
        executor);
  }

  public TaskState withUnmetUpstream(int value) {
    return new TaskState(
        name,
        phase,
        attempt,
        retryBase,
        lost,
        value,
        exitCode,
        failureKind,
        message,
        queuedAt,
        startedAt,
        finishedAt,
        executor);
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
        null);
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
        executor);
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
        executor);
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
        null);
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
        executor);
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
        holder);
  }
}

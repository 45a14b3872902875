package io.kontroler.core.run;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The phase of a run, with the transitions the state machine may make: the machine changes a run's
 * phase only through {@link #becoming}, which refuses any other.
 */
public enum RunPhase {
  Pending,
  Running,
  Succeeded,
  Failed,
  Cancelled;

  private static final Map<RunPhase, Set<RunPhase>> ALLOWED =
      Map.of(
          Pending, EnumSet.of(Running),
          Running, EnumSet.of(Succeeded, Failed, Cancelled),
          Succeeded, EnumSet.of(Running),
          Failed, EnumSet.of(Running),
          Cancelled, EnumSet.of(Running));

  public Set<RunPhase> next() {
    return ALLOWED.get(this);
  }

  public boolean canBecome(RunPhase target) {
    return ALLOWED.get(this).contains(target);
  }

  public boolean isFinal() {
    return this == Succeeded || this == Failed || this == Cancelled;
  }

  /**
   * {@code target}, when a run in this phase may become it.
   *
   * @throws IllegalStateException when the table does not allow it: a bug in the machine
   */
  public RunPhase becoming(RunPhase target) {
    if (!canBecome(target)) {
      throw new IllegalStateException(
          "Expected a " + this + " run to become one of " + next() + ", but not " + target);
    }
    return target;
  }

  /** Whether a run in this phase can be cancelled: it has not finished. */
  public boolean canCancel() {
    return !isFinal();
  }

  /** Whether a run in this phase can be retried: it failed or was cancelled. */
  public boolean canRetry() {
    return this == Failed || this == Cancelled;
  }
}

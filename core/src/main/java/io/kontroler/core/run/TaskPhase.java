package io.kontroler.core.run;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The phase of one task in a run, with the transitions the state machine may make. */
public enum TaskPhase {
  Pending,
  Queued,
  Running,
  Retrying,
  Succeeded,
  Failed,
  Skipped,
  Cancelled;

  private static final Map<TaskPhase, Set<TaskPhase>> ALLOWED =
      Map.of(
          Pending, EnumSet.of(Queued, Running, Succeeded, Skipped, Failed, Cancelled),
          Queued, EnumSet.of(Running, Succeeded, Retrying, Failed, Cancelled),
          Running, EnumSet.of(Succeeded, Retrying, Failed, Cancelled),
          Retrying, EnumSet.of(Queued, Cancelled),
          Succeeded, EnumSet.of(Pending),
          Failed, EnumSet.of(Pending),
          Skipped, EnumSet.of(Pending),
          Cancelled, EnumSet.of(Pending));

  /** The declared transitions out of this phase. */
  public Set<TaskPhase> next() {
    return ALLOWED.get(this);
  }

  public boolean canBecome(TaskPhase target) {
    return ALLOWED.get(this).contains(target);
  }

  /** Waiting for nothing more: succeeded, failed, skipped or cancelled. */
  public boolean isFinal() {
    return this == Succeeded || this == Failed || this == Skipped || this == Cancelled;
  }

  /** A launch was sent and its outcome is not in: queued or running. */
  public boolean isActive() {
    return this == Queued || this == Running;
  }
}

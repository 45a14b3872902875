package io.kontroler.core.run;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The phase of a run, with the transitions the state machine may make. */
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
          Succeeded, EnumSet.noneOf(RunPhase.class),
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
}

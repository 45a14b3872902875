package io.kontroler.scheduler.topology;

import io.kontroler.core.dag.ConcurrencyPolicy;
import java.util.List;

/**
 * What a DAG's concurrency policy makes of a run its schedule asks for, given the DAG's active
 * schedule-started runs (oldest first), as Kubernetes CronJobs do: Allow starts it; Forbid starts
 * it only when none is active, else names the active one; Replace starts it and cancels the active
 * ones.
 *
 * @param blockedBy the active run that keeps this one from starting, or null when it starts
 * @param replaces the active runs to cancel for it
 */
record ConcurrencyDecision(String blockedBy, List<String> replaces) {
  ConcurrencyDecision {
    replaces = List.copyOf(replaces);
  }

  static ConcurrencyDecision of(ConcurrencyPolicy policy, List<String> active) {
    if (active.isEmpty() || policy == ConcurrencyPolicy.Allow) {
      return new ConcurrencyDecision(null, List.of());
    }
    if (policy == ConcurrencyPolicy.Forbid) {
      return new ConcurrencyDecision(active.get(0), List.of());
    }
    return new ConcurrencyDecision(null, active);
  }

  boolean starts() {
    return blockedBy == null;
  }
}

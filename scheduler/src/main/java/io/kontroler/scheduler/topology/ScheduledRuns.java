package io.kontroler.scheduler.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The active runs of one DAG that its cron schedule started, oldest first: what the DAG's
 * concurrency policy is applied against. A run leaves the list when it finishes (or is replaced),
 * so the list is bounded by the DAG's active runs.
 */
record ScheduledRuns(List<String> active) {
  ScheduledRuns {
    active = List.copyOf(Objects.requireNonNullElse(active, List.of()));
  }

  ScheduledRuns with(String runId) {
    if (active.contains(runId)) {
      return this;
    }
    List<String> next = new ArrayList<>(active);
    next.add(runId);
    return new ScheduledRuns(next);
  }

  ScheduledRuns without(String runId) {
    List<String> next = new ArrayList<>(active);
    next.remove(runId);
    return new ScheduledRuns(next);
  }

  boolean isEmpty() {
    return active.isEmpty();
  }
}

package io.kontroler.scheduler.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the partition of a DAG with {@code maxActiveRuns} keeps for it: its active runs that count
 * against the limit, how many runs wait (in the {@code waiting-runs} store, oldest first) and the
 * sequence number the next waiting run gets. Bounded by the limit and a count.
 */
record Admission(List<String> active, int waiting, long nextSeq) {
  static final Admission EMPTY = new Admission(List.of(), 0, 0);

  Admission {
    active = List.copyOf(Objects.requireNonNullElse(active, List.of()));
  }

  Admission withActive(String runId) {
    if (active.contains(runId)) {
      return this;
    }
    List<String> next = new ArrayList<>(active);
    next.add(runId);
    return new Admission(next, waiting, nextSeq);
  }

  Admission withoutActive(String runId) {
    List<String> next = new ArrayList<>(active);
    next.remove(runId);
    return new Admission(next, waiting, nextSeq);
  }

  Admission withActive(List<String> runs) {
    return new Admission(runs, waiting, nextSeq);
  }

  /** One more waits, under sequence number {@link #nextSeq}. */
  Admission enqueued() {
    return new Admission(active, waiting + 1, nextSeq + 1);
  }

  /** One waiting run left the queue (started or cancelled). */
  Admission dequeued() {
    return new Admission(active, Math.max(0, waiting - 1), nextSeq);
  }

  boolean isEmpty() {
    return active.isEmpty() && waiting == 0;
  }
}

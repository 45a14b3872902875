package io.kontroler.scheduler.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A backfill in progress, kept by the DAG's partition until its last run ends: its cron {@code
 * slots} (oldest first, at most {@code scheduler.max.backfill.slots}), the index of the {@code
 * next} slot to start, the runs it started that are still active ({@code running}), how many ended
 * ({@code done}), and whether it was cancelled.
 */
record Backfill(
    String dag,
    String backfillId,
    Instant from,
    Instant to,
    int maxActive,
    List<Instant> slots,
    int next,
    List<String> running,
    int done,
    boolean cancelled) {

  Backfill {
    slots = List.copyOf(Objects.requireNonNullElse(slots, List.of()));
    running = List.copyOf(Objects.requireNonNullElse(running, List.of()));
  }

  /** Slot {@code next} is out, as run {@code runId} (null when it had ended already). */
  Backfill started(String runId) {
    List<String> r = new ArrayList<>(running);
    int d = done;
    if (runId == null) {
      d++;
    } else if (!r.contains(runId)) {
      r.add(runId);
    }
    return new Backfill(dag, backfillId, from, to, maxActive, slots, next + 1, r, d, cancelled);
  }

  Backfill ended(String runId) {
    List<String> r = new ArrayList<>(running);
    if (!r.remove(runId)) {
      return this;
    }
    return new Backfill(dag, backfillId, from, to, maxActive, slots, next, r, done + 1, cancelled);
  }

  Backfill cancel() {
    return new Backfill(dag, backfillId, from, to, maxActive, slots, next, running, done, true);
  }

  /** Whether another slot may start now. */
  boolean canStart() {
    return !cancelled && next < slots.size() && running.size() < maxActive;
  }

  boolean finished() {
    return running.isEmpty() && (cancelled || next >= slots.size());
  }

  int waiting() {
    return cancelled ? 0 : slots.size() - next;
  }

  /** The store key of a backfill: DAG names hold no {@code #}. */
  static String key(String dag, String backfillId) {
    return dag + "#" + backfillId;
  }
}

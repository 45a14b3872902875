package io.kontroler.cli.distributed;

import io.kontroler.cli.distributed.RunEvents.Received;
import io.kontroler.cli.distributed.RunEvents.RunView;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.TaskPhase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * How long a fault held work up. For every run in flight at the fault (requested and not final, as
 * committed run-events showed it then): the time until, after the fault, an attempt of it settled
 * or the run ended (committed run-events), or a task of it started (the {@link Ledger}); and for
 * every task of it that was queued, running or waiting for a retry then: the time until that
 * attempt settled (ended, or was failed over to a new attempt) as committed run-events tell it, or
 * a later attempt started in the ledger. The recovery time is the slowest of these; a run or task
 * that never progressed again has none.
 */
record Recovery(
    long faultAt, int runsInFlight, int tasksInFlight, List<Wait> waits, List<String> stuck) {

  /** When one run ({@code task} "*"), or one task of it, progressed first after the fault. */
  record Wait(String runId, String task, long progressAt) {}

  static Recovery measure(
      long faultAt, Collection<String> runIds, RunEvents events, Ledger ledger) {
    List<Ledger.Execution> executions = ledger.executions(runIds);
    List<Wait> waits = new ArrayList<>();
    List<String> stuck = new ArrayList<>();
    int runs = 0;
    int tasks = 0;
    for (String runId : runIds) {
      RunView atFault = events.view(runId, faultAt);
      if (atFault.isFinal()) {
        continue;
      }
      runs++;
      List<Received> after = events.events(runId).stream().filter(r -> r.at() > faultAt).toList();
      List<Ledger.Execution> startedAfter =
          executions.stream().filter(e -> e.runId().equals(runId) && e.at() > faultAt).toList();
      record(
          waits,
          stuck,
          runId,
          "*",
          first(after, Recovery::settlesAny),
          firstStart(startedAfter, null, 0));
      for (TaskPhaseChanged task : atFault.inFlightTasks()) {
        tasks++;
        record(
            waits,
            stuck,
            runId,
            task.task(),
            first(after, r -> settles(r, task)),
            firstStart(startedAfter, task.task(), task.attempt() + 1));
      }
    }
    return new Recovery(faultAt, runs, tasks, List.copyOf(waits), List.copyOf(stuck));
  }

  private static void record(
      List<Wait> waits,
      List<String> stuck,
      String runId,
      String task,
      OptionalLong event,
      OptionalLong start) {
    OptionalLong progress =
        event.isPresent() && start.isPresent()
            ? OptionalLong.of(Math.min(event.getAsLong(), start.getAsLong()))
            : event.isPresent() ? event : start;
    if (progress.isPresent()) {
      waits.add(new Wait(runId, task, progress.getAsLong()));
    } else {
      stuck.add(runId + (task.equals("*") ? "" : " " + task));
    }
  }

  private static OptionalLong first(List<Received> events, Predicate<Received> which) {
    return events.stream().filter(which).mapToLong(Received::at).min();
  }

  /**
   * Whether {@code r} settles the attempt that was in flight: it ended (or failed over to a retry)
   * or a later attempt exists. An event that merely reports the attempt as queued or running does
   * not: it may be the last word of a component the fault killed.
   */
  private static boolean settles(Received r, TaskPhaseChanged inFlight) {
    return r.event() instanceof TaskPhaseChanged t
        && t.task().equals(inFlight.task())
        && (t.attempt() > inFlight.attempt()
            || t.to().isFinal()
            || t.to() == TaskPhase.Retrying && inFlight.to() != TaskPhase.Retrying);
  }

  /**
   * Whether {@code r} shows the run moving on: an attempt of it ended or failed over, or the run
   * ended. A task reported queued or running does not count, for the same reason as above.
   */
  private static boolean settlesAny(Received r) {
    if (r.event() instanceof TaskPhaseChanged t) {
      return t.to().isFinal() || t.to() == TaskPhase.Retrying;
    }
    return r.event() instanceof RunPhaseChanged c ? c.to().isFinal() : true;
  }

  private static OptionalLong firstStart(
      List<Ledger.Execution> executions, String task, int minAttempt) {
    return executions.stream()
        .filter(e -> task == null || e.task().equals(task))
        .filter(e -> e.attempt() >= minAttempt)
        .mapToLong(Ledger.Execution::at)
        .min();
  }

  /** The slowest wait, from the fault; empty when something never progressed or none was due. */
  OptionalLong millis() {
    if (!stuck.isEmpty()) {
      return OptionalLong.empty();
    }
    return slowest().map(w -> OptionalLong.of(w.progressAt() - faultAt)).orElse(OptionalLong.of(0));
  }

  Optional<Wait> slowest() {
    return waits.stream().max(Comparator.comparingLong(Wait::progressAt));
  }

  /**
   * The median wait, from the fault: far below the slowest when one run was unlucky, close to it
   * when the whole fleet stalled.
   */
  OptionalLong medianMillis() {
    long[] sorted = waits.stream().mapToLong(w -> w.progressAt() - faultAt).sorted().toArray();
    return sorted.length == 0 ? OptionalLong.empty() : OptionalLong.of(sorted[sorted.length / 2]);
  }

  String describe() {
    String slowest =
        slowest().map(w -> " (slowest: run " + w.runId() + " " + w.task() + ")").orElse("");
    String median =
        medianMillis().isPresent() ? ", median wait " + medianMillis().getAsLong() + " ms" : "";
    return stuck.isEmpty()
        ? (millis().getAsLong() + " ms" + slowest + median)
        : ("never: " + stuck.size() + " runs/tasks made no progress, e.g. " + stuck.get(0));
  }
}

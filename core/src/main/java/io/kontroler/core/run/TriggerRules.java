package io.kontroler.core.run;

import io.kontroler.core.dag.TriggerRule;

/**
 * Decides a task's trigger rule from the counters of its upstream outcomes ({@link TaskState}), in
 * constant time: called each time one of its upstream tasks ends, never rescanning the others.
 */
final class TriggerRules {
  /** What a pending task does now. */
  enum Decision {
    WAIT,
    START,
    SKIP
  }

  private TriggerRules() {}

  /**
   * The decision for a task with {@code total} upstream tasks, of which {@code unmet} are not
   * final, {@code failed} failed and {@code skipped} were skipped or cancelled (the rest
   * succeeded). A task with no upstream task starts at once, whatever its rule.
   */
  static Decision decide(TriggerRule rule, int total, int unmet, int failed, int skipped) {
    if (total == 0) {
      return Decision.START;
    }
    int succeeded = total - unmet - failed - skipped;
    boolean allFinal = unmet == 0;
    return switch (rule) {
      case allSucceeded -> failed + skipped > 0 ? Decision.SKIP : ready(allFinal);
      case allDone -> ready(allFinal);
      case allFailed -> succeeded + skipped > 0 ? Decision.SKIP : ready(allFinal);
      case anyFailed -> failed > 0 ? Decision.START : skipWhen(allFinal);
      case anySucceeded -> succeeded > 0 ? Decision.START : skipWhen(allFinal);
      case noneFailed -> failed > 0 ? Decision.SKIP : ready(allFinal);
    };
  }

  /**
   * Task {@code i} (pending again after a manual retry of its run) with its upstream counters
   * counted afresh from the phases of its upstream tasks.
   */
  static TaskState recounted(DagPlan plan, int i, TaskStates tasks) {
    int unmet = 0;
    int failed = 0;
    int skipped = 0;
    for (int u : plan.upstreamOf(i)) {
      TaskPhase p = tasks.get(plan.name(u)).phase();
      unmet += p.isFinal() ? 0 : 1;
      failed += p == TaskPhase.Failed ? 1 : 0;
      skipped += p == TaskPhase.Skipped || p == TaskPhase.Cancelled ? 1 : 0;
    }
    return tasks.get(plan.name(i)).withUpstream(unmet, failed, skipped);
  }

  /** Why a task was skipped, after {@code trigger rule <rule> not met: }. */
  static String whySkipped(TriggerRule rule, int total, int unmet, int failed, int skipped) {
    int succeeded = total - unmet - failed - skipped;
    String tally =
        succeeded
            + " succeeded, "
            + failed
            + " failed, "
            + skipped
            + " skipped or cancelled"
            + (unmet > 0 ? ", " + unmet + " not ended" : "");
    String why =
        switch (rule) {
          case allSucceeded -> "not every upstream task succeeded";
          case allFailed -> "not every upstream task failed";
          case anyFailed -> "no upstream task failed";
          case anySucceeded -> "no upstream task succeeded";
          case noneFailed -> "an upstream task failed";
          case allDone -> "upstream tasks did not end";
        };
    return "trigger rule " + rule + " not met: " + why + " (upstream: " + tally + ")";
  }

  private static Decision ready(boolean allFinal) {
    return allFinal ? Decision.START : Decision.WAIT;
  }

  private static Decision skipWhen(boolean allFinal) {
    return allFinal ? Decision.SKIP : Decision.WAIT;
  }
}

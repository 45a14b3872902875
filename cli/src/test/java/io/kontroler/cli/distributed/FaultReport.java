package io.kontroler.cli.distributed;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** What one fault did to one batch of runs, as measured; printed as a few lines. */
record FaultReport(
    String fault,
    String what,
    int runs,
    int succeeded,
    List<String> notSucceeded,
    Recovery recovery,
    Map<String, Long> duplicates,
    List<String> tasksNeverStarted,
    List<String> historyDifferences,
    String historyCatchUp,
    long batchMillis) {

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  String describe() {
    StringBuilder s = new StringBuilder();
    s.append("== ").append(fault).append(": ").append(what).append('\n');
    s.append("   fault at:            ")
        .append(CLOCK.format(Instant.ofEpochMilli(recovery.faultAt())))
        .append(" (the processes' logs use this clock)\n");
    s.append("   runs succeeded:      ")
        .append(succeeded)
        .append('/')
        .append(runs)
        .append(" in ")
        .append(batchMillis)
        .append(" ms")
        .append(notSucceeded.isEmpty() ? "" : ", not: " + sample(notSucceeded))
        .append('\n');
    s.append("   in flight at fault:  ")
        .append(recovery.runsInFlight())
        .append(" runs, ")
        .append(recovery.tasksInFlight())
        .append(" tasks\n");
    s.append("   recovery:            ")
        .append(recovery.describe())
        .append(
            recovery.millis().orElse(Long.MAX_VALUE) < DistributedFailoverIT.RECOVERY_GOAL_MS
                ? " (within the goal of "
                : " (OVER the goal of ")
        .append(DistributedFailoverIT.RECOVERY_GOAL_MS)
        .append(" ms)\n");
    s.append("   executed twice:      ")
        .append(duplicates.size())
        .append(" (run task attempt)")
        .append(duplicates.isEmpty() ? "" : ", e.g. " + sample(List.copyOf(duplicates.keySet())))
        .append('\n');
    if (!tasksNeverStarted.isEmpty()) {
      s.append("   never started:       ").append(sample(tasksNeverStarted)).append('\n');
    }
    s.append("   api history:         ")
        .append(
            historyDifferences.isEmpty()
                ? "agrees with run-events"
                : historyDifferences.size() + " differences, e.g. " + sample(historyDifferences))
        .append('\n');
    if (!historyCatchUp.isEmpty()) {
      s.append("   api caught up:       ").append(historyCatchUp).append('\n');
    }
    return s.toString();
  }

  private static String sample(List<String> items) {
    return items.size() <= 3
        ? items.toString()
        : items.subList(0, 3) + " and " + (items.size() - 3) + " more";
  }
}

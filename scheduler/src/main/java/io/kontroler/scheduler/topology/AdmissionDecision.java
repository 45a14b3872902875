package io.kontroler.scheduler.topology;

/**
 * What a DAG's {@code maxActiveRuns} makes of a run asked for, given how many of its runs are
 * active and how many already wait: it starts when there is room and nobody waits before it (first
 * come, first served), waits while the queue has room, and is rejected beyond that.
 *
 * @param verdict start, wait or reject
 * @param message why it waits or is rejected ({@code waiting: 2 of 2 active runs (maxActiveRuns)});
 *     null when it starts
 */
record AdmissionDecision(Verdict verdict, String message) {
  enum Verdict {
    START,
    WAIT,
    REJECT
  }

  /**
   * @param maxActiveRuns the DAG's limit, null for none
   * @param active its active runs counted against the limit
   * @param waiting its runs already waiting
   * @param maxWaiting how many may wait at most ({@code scheduler.max.waiting.runs})
   */
  static AdmissionDecision of(
      String dag, Integer maxActiveRuns, int active, int waiting, int maxWaiting) {
    if (maxActiveRuns == null || (waiting == 0 && active < maxActiveRuns)) {
      return new AdmissionDecision(Verdict.START, null);
    }
    if (waiting >= maxWaiting) {
      return new AdmissionDecision(
          Verdict.REJECT,
          "Expected fewer than "
              + maxWaiting
              + " runs of DAG '"
              + dag
              + "' waiting (scheduler.max.waiting.runs), but "
              + waiting
              + " wait behind "
              + active
              + " active runs (maxActiveRuns "
              + maxActiveRuns
              + ")");
    }
    return new AdmissionDecision(Verdict.WAIT, waitingMessage(active, maxActiveRuns));
  }

  /** How many waiting runs may start now: all of them without a limit, else the free places. */
  static int startable(Integer maxActiveRuns, int active, int waiting) {
    if (maxActiveRuns == null) {
      return waiting;
    }
    return Math.max(0, Math.min(waiting, maxActiveRuns - active));
  }

  static String waitingMessage(int active, int maxActiveRuns) {
    return "waiting: " + active + " of " + maxActiveRuns + " active runs (maxActiveRuns)";
  }
}

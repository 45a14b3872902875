package io.kontroler.scheduler.topology;

/**
 * Bounds of what a DAG's partition keeps for admission.
 *
 * @param maxWaitingRuns the most runs of one DAG that wait for a free place under its {@code
 *     maxActiveRuns}; a request beyond it is rejected
 * @param maxBackfillSlots the most cron slots one backfill may cover; a larger range is rejected
 */
public record AdmissionLimits(int maxWaitingRuns, int maxBackfillSlots) {
  /**
   * The defaults of {@code scheduler.max.waiting.runs} and {@code scheduler.max.backfill.slots}.
   */
  public static final AdmissionLimits DEFAULT = new AdmissionLimits(10_000, 1_000);

  public AdmissionLimits {
    if (maxWaitingRuns < 0 || maxBackfillSlots < 0) {
      throw new IllegalArgumentException(
          "Expected limits of 0 or more, but got " + maxWaitingRuns + " and " + maxBackfillSlots);
    }
  }
}

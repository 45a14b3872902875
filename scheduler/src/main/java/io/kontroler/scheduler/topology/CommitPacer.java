package io.kontroler.scheduler.topology;

import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * Carries out {@link CommitPacing} for one processor: notes how old the current input record is and
 * asks for a commit after an urgent output while that age is within the allowed lag. The age is
 * measured on the record's own timestamp, not on how fast this thread has been going, so the pacing
 * does not feed on its own commits.
 */
final class CommitPacer {
  private final ProcessingContext context;
  private final CommitPacing pacing;
  private final long maxLagMs;
  private long currentRecordTimestamp;

  CommitPacer(ProcessingContext context, CommitPacing pacing) {
    this.context = context;
    this.pacing = pacing;
    this.maxLagMs = pacing.maxLag().toMillis();
  }

  /** An input record written at {@code timestamp} is being processed. */
  void recordIn(long timestamp) {
    currentRecordTimestamp = timestamp;
  }

  /** Something others wait for (a launch, a run's phase) was forwarded. */
  void urgent() {
    if (pacing.prompt() && context.currentSystemTimeMs() - currentRecordTimestamp <= maxLagMs) {
      context.commit();
    }
  }
}

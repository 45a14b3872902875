package io.kontroler.scheduler.topology;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one scheduler instance, shared by its stream threads: what went wrong inside (a bug
 * or a poison value, never an expected rejection) and what the attempt leases did.
 */
public final class SchedulerMetrics {
  private final AtomicLong internalErrors = new AtomicLong();
  private final AtomicLong timerRetries = new AtomicLong();
  private final AtomicLong lostAttempts = new AtomicLong();
  private final AtomicLong failedStreamThreads = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();

  /** A record, timer or lease could not be applied because something threw. */
  public void internalError() {
    internalErrors.incrementAndGet();
  }

  /** A timer threw and was put back to fire again later. */
  public void timerRetried() {
    timerRetries.incrementAndGet();
  }

  /** An attempt was failed as lost because its executor's lease expired. */
  public void attemptLost() {
    lostAttempts.incrementAndGet();
  }

  /** A stream thread died (and was replaced). */
  public void streamThreadFailed() {
    failedStreamThreads.incrementAndGet();
  }

  /** A record went to the dead letters: unreadable, refused, or failed inside. */
  public void deadLettered() {
    deadLetters.incrementAndGet();
  }

  public long deadLetters() {
    return deadLetters.get();
  }

  public long internalErrors() {
    return internalErrors.get();
  }

  public long timerRetries() {
    return timerRetries.get();
  }

  public long lostAttempts() {
    return lostAttempts.get();
  }

  public long failedStreamThreads() {
    return failedStreamThreads.get();
  }
}

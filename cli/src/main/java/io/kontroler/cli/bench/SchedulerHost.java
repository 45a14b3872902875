package io.kontroler.cli.bench;

/** Where the bench's scheduler runs: in the bench's JVM, or in a child JVM with its own heap. */
interface SchedulerHost extends AutoCloseable {

  /** The version of {@code dag} the scheduler has loaded, 0 if none. */
  int dagVersion(String dag);

  /**
   * The scheduler's peak heap in MB since {@link #resetHeapPeak}, or null where the scheduler
   * shares the bench's JVM (the bench measures that JVM itself).
   */
  Long heapPeakMb();

  void resetHeapPeak();

  /** Throws if the scheduler is known to have died. */
  default void checkAlive() {}

  @Override
  void close();
}

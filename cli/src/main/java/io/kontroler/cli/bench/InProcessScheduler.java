package io.kontroler.cli.bench;

import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;

/** The scheduler in the bench's own JVM. */
final class InProcessScheduler implements SchedulerHost {
  private final Scheduler scheduler;

  InProcessScheduler(SchedulerConfig config) {
    this.scheduler = Scheduler.start(config);
  }

  @Override
  public int dagVersion(String dag) {
    return scheduler.dagVersion(dag);
  }

  @Override
  public Long heapPeakMb() {
    return null;
  }

  @Override
  public void resetHeapPeak() {}

  @Override
  public void close() {
    scheduler.close();
  }
}

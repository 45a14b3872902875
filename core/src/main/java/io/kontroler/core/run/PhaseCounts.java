package io.kontroler.core.run;

/** How many tasks of a run are in each phase. */
public record PhaseCounts(
    int pending,
    int queued,
    int running,
    int retrying,
    int succeeded,
    int failed,
    int skipped,
    int cancelled) {

  public static final PhaseCounts ZERO = new PhaseCounts(0, 0, 0, 0, 0, 0, 0, 0);

  public int of(TaskPhase phase) {
    return switch (phase) {
      case Pending -> pending;
      case Queued -> queued;
      case Running -> running;
      case Retrying -> retrying;
      case Succeeded -> succeeded;
      case Failed -> failed;
      case Skipped -> skipped;
      case Cancelled -> cancelled;
    };
  }

  /** Tasks not yet final: pending, queued, running or retrying. */
  public int unfinished() {
    return pending + queued + running + retrying;
  }

  public int total() {
    return unfinished() + succeeded + failed + skipped + cancelled;
  }

  public PhaseCounts plus(TaskPhase phase, int delta) {
    return new PhaseCounts(
        pending + (phase == TaskPhase.Pending ? delta : 0),
        queued + (phase == TaskPhase.Queued ? delta : 0),
        running + (phase == TaskPhase.Running ? delta : 0),
        retrying + (phase == TaskPhase.Retrying ? delta : 0),
        succeeded + (phase == TaskPhase.Succeeded ? delta : 0),
        failed + (phase == TaskPhase.Failed ? delta : 0),
        skipped + (phase == TaskPhase.Skipped ? delta : 0),
        cancelled + (phase == TaskPhase.Cancelled ? delta : 0));
  }

  public PhaseCounts moved(TaskPhase from, TaskPhase to) {
    return plus(from, -1).plus(to, 1);
  }
}

package io.kontroler.core.run;

/**
 * The progress of a {@code forEach} task's instances, kept on the task's own state: counters only,
 * so that one instance's outcome rewrites a record of constant size whatever the number of items.
 * Instances are created in index order; {@code created - active - succeeded - failed} of them were
 * cancelled.
 *
 * @param total the items the list held
 * @param created instances created so far (the next one is {@code task[created]})
 * @param active instances created and not final yet
 * @param succeeded instances that succeeded
 * @param failed instances that failed for good
 */
public record FanOut(int total, int created, int active, int succeeded, int failed) {

  static FanOut of(int total) {
    return new FanOut(total, 0, 0, 0, 0);
  }

  /** One more instance created, and active. */
  FanOut oneCreated() {
    return new FanOut(total, created + 1, active + 1, succeeded, failed);
  }

  /** One active instance ended in {@code phase} (Succeeded, Failed or Cancelled). */
  FanOut ended(TaskPhase phase) {
    return new FanOut(
        total,
        created,
        active - 1,
        succeeded + (phase == TaskPhase.Succeeded ? 1 : 0),
        failed + (phase == TaskPhase.Failed ? 1 : 0));
  }

  /** Whether another instance may start now, under {@code parallelism} (null: no cap). */
  boolean mayCreate(Integer parallelism) {
    return created < total && failed == 0 && (parallelism == null || active < parallelism);
  }

  /** Whether the group is done: nothing active, and every item created or one failed. */
  boolean finished() {
    return active == 0 && (created == total || failed > 0);
  }
}

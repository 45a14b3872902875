package io.kontroler.core.run;

/**
 * Limits the scheduler sets on what a run may grow to, decided by the machine at run time.
 *
 * @param maxForEachItems the most items a {@code forEach} may fan out over ({@code
 *     scheduler.max.foreach.items}); more fails the task
 * @param maxSubDagDepth the deepest chain of sub-DAG runs ({@code scheduler.max.subdag.depth}): a
 *     top-level run is at depth 0, its child at 1; a {@code dagRef} task whose child would be
 *     deeper fails
 */
public record RunLimits(int maxForEachItems, int maxSubDagDepth) {
  public static final RunLimits DEFAULT = new RunLimits(10_000, 10);
}

package io.kontroler.executor.backend;

/**
 * An attempt a backend runs already and no worker reports, and the partition of the launches topic
 * its launch was read from: the worker that owns that partition next adopts it. {@code partition}
 * is {@link #UNKNOWN} when the backend did not record it (a Job created before it was recorded, a
 * process an earlier backend left), and the worker then falls back to the partition of the DAG.
 */
public record Adoptable(AttemptId id, int partition) {
  public static final int UNKNOWN = -1;

  public Adoptable {
    if (partition < UNKNOWN) {
      throw new IllegalArgumentException("Expected a partition >= -1, but got " + partition);
    }
  }
}

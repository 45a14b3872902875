package io.kontroler.scheduler.topology;

/** Told by {@link RunDriver} when a run ends or, retried, becomes active again. */
interface RunLifecycle {
  RunLifecycle NONE =
      new RunLifecycle() {
        @Override
        public void ended(String dag, String runId, long timestamp) {}

        @Override
        public void reopened(String dag, String runId, long timestamp) {}
      };

  /** Run {@code runId} of {@code dag} became final (or was cancelled while it waited). */
  void ended(String dag, String runId, long timestamp);

  /** The final run {@code runId} of {@code dag} is active again (a retry). */
  void reopened(String dag, String runId, long timestamp);

  /** Tells {@code first}, then {@code second}. */
  static RunLifecycle both(RunLifecycle first, RunLifecycle second) {
    return new RunLifecycle() {
      @Override
      public void ended(String dag, String runId, long timestamp) {
        first.ended(dag, runId, timestamp);
        second.ended(dag, runId, timestamp);
      }

      @Override
      public void reopened(String dag, String runId, long timestamp) {
        first.reopened(dag, runId, timestamp);
        second.reopened(dag, runId, timestamp);
      }
    };
  }
}

package io.kontroler.scheduler.topology;

/** An attempt that an executor holds, as kept in the holder index of {@link AttemptLeases}. */
record HeldAttempt(String runId, String dag, String task, int attempt) {}

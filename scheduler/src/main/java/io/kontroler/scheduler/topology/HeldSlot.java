package io.kontroler.scheduler.topology;

/** A slot of shared {@code pool} that attempt {@code attempt} of a task of this partition holds. */
record HeldSlot(String pool, String dag, String runId, String task, int attempt) {}

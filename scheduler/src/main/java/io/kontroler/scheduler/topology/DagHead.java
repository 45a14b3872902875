package io.kontroler.scheduler.topology;

/**
 * What the scheduler knows of a DAG: its latest version (new runs pin it) and whether it was
 * deleted (no new runs).
 */
record DagHead(int version, boolean deleted) {}

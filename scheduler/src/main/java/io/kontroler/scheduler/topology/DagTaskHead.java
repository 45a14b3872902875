package io.kontroler.scheduler.topology;

import io.kontroler.core.dag.DagTaskSpec;

/**
 * The latest version of a DagTask, kept by the partition that owns {@code dagtask:namespace/name}
 * and numbers its versions: a submission of the same spec is that version again.
 */
record DagTaskHead(int version, DagTaskSpec spec) {}

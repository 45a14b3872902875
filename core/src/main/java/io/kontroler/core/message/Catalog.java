package io.kontroler.core.message;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import java.time.Instant;

/** The records of the compacted {@code kontroler.dags} topic. */
public sealed interface Catalog {

  /**
   * A validated DAG version, task references resolved; keyed by {@code dag} ({@code
   * namespace/name}). {@code suspended} may change without a new version.
   */
  record DagPublished(
      String dag, int version, DagSpec spec, Instant publishedAt, String submissionId)
      implements Catalog {
    public DagPublished(String dag, int version, DagSpec spec, Instant publishedAt) {
      this(dag, version, spec, publishedAt, null);
    }
  }

  /** The DAG is gone: no new runs start; runs in flight finish on their version. */
  record DagDeleted(String dag, Instant deletedAt) implements Catalog {}

  /**
   * A DagTask version, keyed by {@code dagtask:namespace/name#version}, so that compaction of the
   * catalog keeps every version DAGs may still pin; the scheduler ignores these.
   */
  record DagTaskPublished(
      String namespace, String name, int version, DagTaskSpec spec, String submissionId)
      implements Catalog {
    public DagTaskPublished(String namespace, String name, int version, DagTaskSpec spec) {
      this(namespace, name, version, spec, null);
    }

    public static String key(String namespace, String name, int version) {
      return "dagtask:" + namespace + "/" + name + "#" + version;
    }
  }
}

package io.kontroler.core.message;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.TaskSpec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The records of the compacted {@code kontroler.dags} topic. */
public sealed interface Catalog {

  /**
   * A validated DAG version, task references resolved; keyed by {@code dag} ({@code
   * namespace/name}). {@code suspended} may change without a new version. A version too large for
   * one record is the head of {@code parts} {@link DagPart}s (null: none, {@code spec} is whole),
   * written before it on the DAG's partition; the head's {@code spec} then has no tasks. See {@link
   * DagParts}.
   */
  record DagPublished(
      String dag,
      int version,
      DagSpec spec,
      Instant publishedAt,
      String submissionId,
      Integer parts)
      implements Catalog {
    public DagPublished(
        String dag, int version, DagSpec spec, Instant publishedAt, String submissionId) {
      this(dag, version, spec, publishedAt, submissionId, null);
    }

    public DagPublished(String dag, int version, DagSpec spec, Instant publishedAt) {
      this(dag, version, spec, publishedAt, null);
    }

    /** The number of parts before this head; 0 when the spec is whole. */
    public int partCount() {
      return parts == null ? 0 : parts;
    }

    public DagPublished withSpec(DagSpec value, Integer partCount) {
      return new DagPublished(dag, version, value, publishedAt, submissionId, partCount);
    }
  }

  /**
   * Part {@code part} (from 0) of DAG version {@code version}: a slice of its tasks ({@code task})
   * and exit tasks ({@code onExit}), in order. Keyed by {@link #key}, so that compaction keeps
   * every part of every version, and written to the partition of {@code dag} before the version's
   * head.
   */
  record DagPart(String dag, int version, int part, List<TaskSpec> task, List<TaskSpec> onExit)
      implements Catalog {
    public DagPart {
      task = List.copyOf(Objects.requireNonNullElse(task, List.of()));
      onExit = List.copyOf(Objects.requireNonNullElse(onExit, List.of()));
    }

    /** {@code dagpart:<namespace/name>#<version>#<part>}. */
    public static String key(String dag, int version, int part) {
      return DagParts.PART_KEY_PREFIX + dag + "#" + version + "#" + part;
    }
  }

  /** The DAG is gone: no new runs start; runs in flight finish on their version. */
  record DagDeleted(String dag, Instant deletedAt) implements Catalog {}

  /**
   * A DagTask version, keyed by {@code dagtask:namespace/name#version}, so that compaction of the
   * catalog keeps every version DAGs may still pin; written by the scheduler partition that owns
   * {@code dagtask:namespace/name}, which numbers its versions.
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

package io.kontroler.scheduler.topology;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagPart;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.DagParts;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code dag-versions} store: each version's head under {@code dag#version} and, for a version
 * split into parts, part {@code i} under {@code dag#version#i}; the parts of a submission that has
 * not had its head yet under {@code dag#submission:<id>#i} (as parts of version 0). No value is
 * larger than a part, so no changelog record grows with the size of a DAG.
 */
final class DagVersions {
  private final KeyValueStore<String, Catalog> store;

  DagVersions(KeyValueStore<String, Catalog> store) {
    this.store = store;
  }

  /** The whole spec of the version under {@code key} ({@code dag#version}), or null. */
  DagSpec get(String key) {
    DagPublished head = (DagPublished) store.get(key);
    if (head == null || head.partCount() == 0) {
      return head == null ? null : head.spec();
    }
    List<DagParts.Slice> slices = new ArrayList<>(head.partCount());
    for (int i = 0; i < head.partCount(); i++) {
      DagPart part = (DagPart) store.get(partKey(key, i));
      if (part == null) {
        throw new IllegalStateException(
            "Expected "
                + head.partCount()
                + " parts of DAG version "
                + key
                + ", but part "
                + i
                + " is missing");
      }
      slices.add(DagParts.Slice.of(part));
    }
    return DagParts.join(head.spec(), slices);
  }

  /** The head of {@code dag}'s {@code version}, or null. */
  DagPublished head(String dag, int version) {
    return (DagPublished) store.get(VersionKeys.of(dag, version));
  }

  boolean has(String dag, int version) {
    return store.get(VersionKeys.of(dag, version)) != null;
  }

  /** Whether parts {@code 0 .. count - 1} of the version are all here. */
  boolean hasParts(String dag, int version, int count) {
    for (int i = 0; i < count; i++) {
      if (store.get(partKey(VersionKeys.of(dag, version), i)) == null) {
        return false;
      }
    }
    return true;
  }

  void putHead(String dag, int version, DagPublished head) {
    store.put(VersionKeys.of(dag, version), head);
  }

  void putPart(DagPart part) {
    store.put(partKey(VersionKeys.of(part.dag(), part.version()), part.part()), part);
  }

  /** Keeps part {@code part} of submission {@code submissionId} until its head comes. */
  void putPending(String dag, String submissionId, DagParts.Slice part, int index) {
    store.put(
        pendingKey(dag, submissionId, index),
        new DagPart(dag, 0, index, part.task(), part.onExit()));
  }

  /** Part {@code index} of submission {@code submissionId}, or null. */
  DagParts.Slice pending(String dag, String submissionId, int index) {
    DagPart part = (DagPart) store.get(pendingKey(dag, submissionId, index));
    return part == null ? null : DagParts.Slice.of(part);
  }

  void deletePending(String dag, String submissionId, int count) {
    for (int i = 0; i < count; i++) {
      store.delete(pendingKey(dag, submissionId, i));
    }
  }

  /**
   * The version of {@code dag} numbered {@code version} as a view that reads its parts when needed;
   * null when it is not here.
   */
  VersionView view(String dag, int version) {
    DagPublished head = head(dag, version);
    if (head == null) {
      return null;
    }
    if (head.partCount() == 0) {
      return VersionView.whole(head.spec());
    }
    String key = VersionKeys.of(dag, version);
    return new VersionView(head.spec(), head.partCount(), i -> part(key, i));
  }

  /** Part {@code index} of the version whose head is under {@code versionKey}, as a slice. */
  DagParts.Slice part(String versionKey, int index) {
    DagPart part = (DagPart) store.get(partKey(versionKey, index));
    if (part == null) {
      throw new IllegalStateException(
          "Expected part " + index + " of DAG version " + versionKey + ", but it is missing");
    }
    return DagParts.Slice.of(part);
  }

  static String partKey(String versionKey, int index) {
    return versionKey + "#" + index;
  }

  static String pendingKey(String dag, String submissionId, int index) {
    return dag + "#submission:" + submissionId + "#" + index;
  }
}

package io.kontroler.core.message;

import io.kontroler.core.message.Catalog.DagPart;
import io.kontroler.core.message.Catalog.DagPublished;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Joins the parts of split DAG versions read from {@code kontroler.dags} (in partition order) into
 * whole versions: a part is kept until its head comes, and the head is answered with the whole spec
 * and no part count. Parts of a version whose head never comes (compaction kept only a later head
 * of the DAG) are let go when a later head of the DAG arrives. Not thread-safe: one per reader.
 */
public final class CatalogAssembly {
  private final Map<String, TreeMap<Integer, Map<Integer, DagPart>>> pending = new HashMap<>();

  /**
   * What a reader acts on for {@code record}: a whole version for a head whose parts are all here,
   * empty for a part (kept) or for a head whose parts are missing, other records as they are.
   */
  public Optional<Catalog> accept(Catalog record) {
    if (record instanceof DagPart part) {
      pending
          .computeIfAbsent(part.dag(), d -> new TreeMap<>())
          .computeIfAbsent(part.version(), v -> new HashMap<>())
          .put(part.part(), part);
      return Optional.empty();
    }
    if (!(record instanceof DagPublished head) || head.partCount() == 0) {
      return Optional.of(record);
    }
    TreeMap<Integer, Map<Integer, DagPart>> versions = pending.get(head.dag());
    Map<Integer, DagPart> parts = versions == null ? null : versions.get(head.version());
    if (versions != null) {
      versions.headMap(head.version(), true).clear();
      if (versions.isEmpty()) {
        pending.remove(head.dag());
      }
    }
    List<DagParts.Slice> slices = new ArrayList<>(head.partCount());
    for (int i = 0; i < head.partCount(); i++) {
      DagPart part = parts == null ? null : parts.get(i);
      if (part == null) {
        return Optional.empty();
      }
      slices.add(DagParts.Slice.of(part));
    }
    return Optional.of(head.withSpec(DagParts.join(head.spec(), slices), null));
  }

  /** The parts kept, waiting for their heads. */
  public int pendingParts() {
    return pending.values().stream().flatMap(v -> v.values().stream()).mapToInt(Map::size).sum();
  }
}

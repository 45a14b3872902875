package io.kontroler.core.validate;

import io.kontroler.core.dag.DagTaskSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The DagTask versions a DAG's {@code taskRef}s can point at, by namespace and name. */
public interface DagTaskCatalog {

  /** Versions of a DagTask, ascending; empty when there is no such DagTask. */
  SortedMap<Integer, DagTaskSpec> versions(String namespace, String name);

  DagTaskCatalog EMPTY = (namespace, name) -> new TreeMap<>();

  /** A catalog held in memory, for validation of files and for tests. */
  final class InMemory implements DagTaskCatalog {
    private final Map<String, TreeMap<Integer, DagTaskSpec>> byKey = new HashMap<>();

    /** Adds {@code spec} as the next version, unless it equals the latest; returns its version. */
    public int add(String namespace, String name, DagTaskSpec spec) {
      TreeMap<Integer, DagTaskSpec> versions =
          byKey.computeIfAbsent(namespace + "/" + name, k -> new TreeMap<>());
      int version = Versions.next(List.copyOf(versions.values()), spec);
      versions.put(version, spec);
      return version;
    }

    @Override
    public SortedMap<Integer, DagTaskSpec> versions(String namespace, String name) {
      return new TreeMap<>(byKey.getOrDefault(namespace + "/" + name, new TreeMap<>()));
    }
  }
}

package io.kontroler.ingest.catalog;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import io.kontroler.core.validate.DagTaskCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The DAG and DagTask versions known from {@code kontroler.dags} (read from the beginning) and from
 * this node's own publications. Assigns versions as every publisher of the topic does: a spec equal
 * to the latest version keeps it ({@code suspended} aside), any other change makes the next one.
 * Thread-safe.
 */
public final class CatalogView implements DagTaskCatalog {
  private final Map<String, DagPublished> dags = new HashMap<>();
  // a DAG deleted and created again continues its numbering, so a version never names two specs
  private final Map<String, Integer> deletedVersions = new HashMap<>();
  private final Map<String, TreeMap<Integer, DagTaskSpec>> dagTasks = new HashMap<>();
  private final List<Consumer<Catalog>> listeners = new CopyOnWriteArrayList<>();

  /** Called with every record applied, after the view changed. */
  public void addListener(Consumer<Catalog> listener) {
    listeners.add(listener);
  }

  /** Applies a record read from (or published to) the topic. */
  public void apply(Catalog record) {
    synchronized (this) {
      if (record instanceof DagPublished p) {
        DagPublished old = dags.get(p.dag());
        if (old != null && old.version() > p.version()) {
          return;
        }
        dags.put(p.dag(), p);
      } else if (record instanceof DagDeleted d) {
        DagPublished removed = dags.remove(d.dag());
        if (removed != null) {
          deletedVersions.merge(d.dag(), removed.version(), Math::max);
        }
      } else if (record instanceof DagTaskPublished t) {
        dagTasks
            .computeIfAbsent(t.namespace() + "/" + t.name(), k -> new TreeMap<>())
            .put(t.version(), t.spec());
      }
    }
    for (Consumer<Catalog> listener : listeners) {
      listener.accept(record);
    }
  }

  public synchronized Optional<DagPublished> dag(String dag) {
    return Optional.ofNullable(dags.get(dag));
  }

  public synchronized List<DagPublished> dags() {
    return List.copyOf(dags.values());
  }

  /** The version {@code spec} gets when published as {@code dag}. */
  public synchronized int versionFor(String dag, DagSpec spec) {
    DagPublished latest = dags.get(dag);
    if (latest == null) {
      return deletedVersions.getOrDefault(dag, 0) + 1;
    }
    boolean same = latest.spec().versionedPart().equals(spec.versionedPart());
    return same ? latest.version() : latest.version() + 1;
  }

  /** The version {@code spec} gets when published as DagTask {@code namespace/name}. */
  public synchronized int versionFor(String namespace, String name, DagTaskSpec spec) {
    TreeMap<Integer, DagTaskSpec> versions = dagTasks.get(namespace + "/" + name);
    if (versions == null || versions.isEmpty()) {
      return 1;
    }
    var latest = versions.lastEntry();
    return latest.getValue().equals(spec) ? latest.getKey() : latest.getKey() + 1;
  }

  @Override
  public synchronized SortedMap<Integer, DagTaskSpec> versions(String namespace, String name) {
    return new TreeMap<>(dagTasks.getOrDefault(namespace + "/" + name, new TreeMap<>()));
  }

  /** The DAGs ({@code namespace/name}) whose latest version uses DagTask {@code name}. */
  public synchronized List<String> dagsUsing(String namespace, String name) {
    List<String> users = new ArrayList<>();
    dags.forEach(
        (key, published) -> {
          if (!key.startsWith(namespace + "/")) {
            return;
          }
          for (TaskSpec task : published.spec().task()) {
            if (task.isReference() && task.taskRef().name().equals(name)) {
              users.add(key);
              return;
            }
          }
        });
    users.sort(String::compareTo);
    return users;
  }
}

package io.kontroler.ingest.catalog;

import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import io.kontroler.core.message.CatalogAssembly;
import io.kontroler.core.validate.DagTaskCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The DAG and DagTask versions known from {@code kontroler.dags} (read from the beginning). It
 * never numbers versions: the scheduler does, and answers a submission with the published record
 * carrying the submission's id, which {@link #expect} hands to whoever waits for it. Thread-safe.
 */
public final class CatalogView implements DagTaskCatalog {
  private final Map<String, DagPublished> dags = new HashMap<>();
  private final Map<String, TreeMap<Integer, DagTaskSpec>> dagTasks = new HashMap<>();
  private final List<Consumer<Catalog>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, CompletableFuture<Catalog>> submissions = new ConcurrentHashMap<>();
  private final CatalogAssembly assembly = new CatalogAssembly();

  /** Called with every record applied, after the view changed. */
  public void addListener(Consumer<Catalog> listener) {
    listeners.add(listener);
  }

  /**
   * Applies a record read from (or published to) the topic, in partition order: the parts of a
   * split DAG version are kept until its head, which is applied (and told to listeners) whole.
   */
  public void apply(Catalog read) {
    Catalog record;
    synchronized (this) {
      Optional<Catalog> whole = assembly.accept(read);
      if (whole.isEmpty()) {
        return;
      }
      record = whole.get();
      if (record instanceof DagPublished p) {
        DagPublished old = dags.get(p.dag());
        if (old != null && old.version() > p.version()) {
          return;
        }
        dags.put(p.dag(), p);
      } else if (record instanceof DagDeleted d) {
        dags.remove(d.dag());
      } else if (record instanceof DagTaskPublished t) {
        dagTasks
            .computeIfAbsent(t.namespace() + "/" + t.name(), k -> new TreeMap<>())
            .put(t.version(), t.spec());
      }
    }
    for (Consumer<Catalog> listener : listeners) {
      listener.accept(record);
    }
    String submissionId =
        record instanceof DagPublished p
            ? p.submissionId()
            : record instanceof DagTaskPublished t ? t.submissionId() : null;
    CompletableFuture<Catalog> waiting =
        submissionId == null ? null : submissions.remove(submissionId);
    if (waiting != null) {
      waiting.complete(record);
    }
  }

  public synchronized Optional<DagPublished> dag(String dag) {
    return Optional.ofNullable(dags.get(dag));
  }

  public synchronized List<DagPublished> dags() {
    return List.copyOf(dags.values());
  }

  /** The latest version of DagTask {@code namespace/name} and its spec, if any. */
  public synchronized Optional<Map.Entry<Integer, DagTaskSpec>> latestDagTask(
      String namespace, String name) {
    TreeMap<Integer, DagTaskSpec> versions = dagTasks.get(namespace + "/" + name);
    return versions == null || versions.isEmpty()
        ? Optional.empty()
        : Optional.of(versions.lastEntry());
  }

  /**
   * A future completed with the record that answers submission {@code submissionId}; ask for it
   * before submitting, and {@link #forget} it when done waiting.
   */
  public CompletableFuture<Catalog> expect(String submissionId) {
    return submissions.computeIfAbsent(submissionId, id -> new CompletableFuture<>());
  }

  public void forget(String submissionId) {
    submissions.remove(submissionId);
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

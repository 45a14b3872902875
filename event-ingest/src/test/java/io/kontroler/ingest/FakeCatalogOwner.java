package io.kontroler.ingest;

import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.DagSubmitted;
import io.kontroler.core.message.Inbound.DagTaskSubmitted;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A hand-written stand-in for the scheduler's side of submissions (it numbers versions; the ingest
 * never does): a DagSubmitted whose spec equals the latest version but for {@code suspended} gets
 * that version again, any other spec the next one, and a deleted DAG carries on its numbering; a
 * DagTaskSubmitted equal to the latest version gets it again, another spec the next. Each answer
 * carries the submission's id. Thread-safe.
 */
public final class FakeCatalogOwner {
  private final Map<String, DagPublished> dags = new HashMap<>();
  private final Map<String, Integer> lastDagVersion = new HashMap<>();
  private final Map<String, DagTaskPublished> dagTasks = new HashMap<>();

  /** The record the scheduler publishes for {@code command}; empty for other commands. */
  public synchronized Optional<Catalog> answer(Inbound command, Instant now) {
    if (command instanceof DagSubmitted s) {
      DagPublished latest = dags.get(s.dag());
      int version;
      if (latest != null && latest.spec().versionedPart().equals(s.spec().versionedPart())) {
        version = latest.version();
      } else {
        version = lastDagVersion.getOrDefault(s.dag(), 0) + 1;
      }
      DagPublished published = new DagPublished(s.dag(), version, s.spec(), now, s.submissionId());
      dags.put(s.dag(), published);
      lastDagVersion.put(s.dag(), version);
      return Optional.of(published);
    }
    if (command instanceof DagTaskSubmitted s) {
      DagTaskPublished latest = dagTasks.get(s.dag());
      DagTaskSpec spec = s.spec();
      int version =
          latest == null ? 1 : latest.spec().equals(spec) ? latest.version() : latest.version() + 1;
      DagTaskPublished published =
          new DagTaskPublished(s.namespace(), s.name(), version, spec, s.submissionId());
      dagTasks.put(s.dag(), published);
      return Optional.of(published);
    }
    return Optional.empty();
  }

  /** A record published to the catalog by someone else: a deletion keeps the numbering going. */
  public synchronized void saw(Catalog record) {
    if (record instanceof DagDeleted d) {
      dags.remove(d.dag());
    }
  }

  /** The key of {@code record} on {@code kontroler.dags}. */
  public static String key(Catalog record) {
    if (record instanceof DagTaskPublished t) {
      return DagTaskPublished.key(t.namespace(), t.name(), t.version());
    }
    return record instanceof DagPublished p ? p.dag() : ((DagDeleted) record).dag();
  }
}

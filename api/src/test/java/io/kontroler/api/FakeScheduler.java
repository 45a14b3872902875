package io.kontroler.api;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.validate.Versions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A hand-written stand-in for the scheduler's side of version numbering (the DAG's partition owns
 * the numbers): it answers a DagSubmitted or DagTaskSubmitted with the DagPublished or
 * DagTaskPublished the scheduler would publish, with the same submission id: the latest version
 * again when the spec equals it (suspended aside), the next one otherwise.
 */
final class FakeScheduler {
  private final Map<String, TreeMap<Integer, DagSpec>> dags = new HashMap<>();
  private final Map<String, TreeMap<Integer, DagTaskSpec>> tasks = new HashMap<>();

  /** The catalog record that answers {@code command}; empty for other commands. */
  synchronized Optional<Catalog> answer(Inbound command) {
    if (command instanceof Inbound.DagSubmitted s) {
      TreeMap<Integer, DagSpec> known = dags.computeIfAbsent(s.dag(), k -> new TreeMap<>());
      int version =
          known.isEmpty()
              ? 1
              : Versions.nextAfter(
                  known.lastKey(),
                  known.lastEntry().getValue().versionedPart(),
                  s.spec().versionedPart());
      known.put(version, s.spec());
      return Optional.of(
          new Catalog.DagPublished(s.dag(), version, s.spec(), s.submittedAt(), s.submissionId()));
    }
    if (command instanceof Inbound.DagTaskSubmitted s) {
      TreeMap<Integer, DagTaskSpec> known = tasks.computeIfAbsent(s.dag(), k -> new TreeMap<>());
      int version =
          known.isEmpty()
              ? 1
              : Versions.nextAfter(known.lastKey(), known.lastEntry().getValue(), s.spec());
      known.put(version, s.spec());
      return Optional.of(
          new Catalog.DagTaskPublished(
              s.namespace(), s.name(), version, s.spec(), s.submissionId()));
    }
    return Optional.empty();
  }

  /** Learns a version published by someone else (as the scheduler reads kontroler.dags). */
  synchronized void knows(Catalog record) {
    if (record instanceof Catalog.DagPublished p) {
      dags.computeIfAbsent(p.dag(), k -> new TreeMap<>()).put(p.version(), p.spec());
    } else if (record instanceof Catalog.DagTaskPublished t) {
      tasks
          .computeIfAbsent(
              Inbound.DagTaskSubmitted.key(t.namespace(), t.name()), k -> new TreeMap<>())
          .put(t.version(), t.spec());
    }
  }

  /** The key the scheduler publishes {@code record} under on kontroler.dags. */
  static String key(Catalog record) {
    if (record instanceof Catalog.DagTaskPublished t) {
      return Catalog.DagTaskPublished.key(t.namespace(), t.name(), t.version());
    }
    return ((Catalog.DagPublished) record).dag();
  }
}

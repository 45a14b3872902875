package io.kontroler.api.dags;

import io.kontroler.api.http.ApiException;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.Document;
import io.kontroler.core.dag.Metadata;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.parse.DocumentParser;
import io.kontroler.core.parse.ParsedDocument;
import io.kontroler.core.validate.DagTaskCatalog;
import io.kontroler.core.validate.DagValidator;
import io.kontroler.core.validate.PodPolicy;
import io.kontroler.core.validate.Problem;
import io.kontroler.core.validate.Validated;
import io.kontroler.core.validate.Versions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Applies DAG, DagTask and WorkFlow documents: validates all of them first (every problem, with its
 * path), then records and publishes all of them, or none. Versions follow {@link Versions}: an
 * unchanged spec keeps its version; {@code suspended} alone never makes a new one.
 */
public final class DagService {

  /** What applying one document did. */
  public record Applied(String kind, String namespace, String name, int version, boolean changed) {}

  private sealed interface Plan {}

  private record DagPlan(String kind, Metadata meta, DagSpec spec, int version, boolean changed)
      implements Plan {}

  private record TaskPlan(Metadata meta, DagTaskSpec spec, int version, boolean changed)
      implements Plan {}

  private final DagStore store;
  private final Publisher publisher;
  private final Clock clock;
  private final SecureRandom random;
  private final PodPolicy podPolicy;

  public DagService(DagStore store, Publisher publisher, Clock clock, SecureRandom random) {
    this(store, publisher, clock, random, PodPolicy.RESTRICTED);
  }

  /** A service that refuses DAGs and DagTasks whose pods break {@code podPolicy}. */
  public DagService(
      DagStore store, Publisher publisher, Clock clock, SecureRandom random, PodPolicy podPolicy) {
    this.podPolicy = podPolicy;
    this.store = store;
    this.publisher = publisher;
    this.clock = clock;
    this.random = random;
  }

  /** Validates {@code text}; unless {@code dryRun}, records and publishes it. */
  public List<Applied> apply(String text, boolean dryRun) {
    List<ParsedDocument> docs = DocumentParser.parse(text);
    List<Problem> problems = new ArrayList<>();
    if (docs.isEmpty()) {
      throw ApiException.badRequest(List.of(new Problem("", "expected at least one document")));
    }
    boolean many = docs.size() > 1;
    Overlay catalog = new Overlay(store);
    List<Plan> plans = new ArrayList<>();
    for (ParsedDocument doc : docs) {
      doc.problems().forEach(p -> problems.add(prefixed(many, doc.index(), p)));
      if (doc.document() instanceof Document.DagTask t) {
        planTask(t, catalog, plans, problems, many, doc.index());
      }
    }
    for (ParsedDocument doc : docs) {
      planDag(doc, catalog, plans, problems, many);
    }
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(problems);
    }
    if (!dryRun) {
      record(plans);
    }
    return plans.stream().map(DagService::applied).toList();
  }

  private void planTask(
      Document.DagTask t,
      Overlay catalog,
      List<Plan> plans,
      List<Problem> problems,
      boolean many,
      int index) {
    List<Problem> found = DagValidator.validateDagTask(t.metadata(), t.spec(), podPolicy);
    found.forEach(p -> problems.add(prefixed(many, index, p)));
    if (!found.isEmpty()) {
      return;
    }
    SortedMap<Integer, DagTaskSpec> known =
        catalog.versions(t.metadata().namespace(), t.metadata().name());
    int version =
        known.isEmpty()
            ? 1
            : Versions.nextAfter(known.lastKey(), known.get(known.lastKey()), t.spec());
    catalog.add(t.metadata().namespace(), t.metadata().name(), version, t.spec());
    plans.add(new TaskPlan(t.metadata(), t.spec(), version, !known.containsKey(version)));
  }

  private void planDag(
      ParsedDocument doc, Overlay catalog, List<Plan> plans, List<Problem> problems, boolean many) {
    Validated<DagSpec> result;
    String kind;
    Metadata meta = doc.document() == null ? null : doc.document().metadata();
    if (doc.document() instanceof Document.Dag d) {
      result = DagValidator.validate(d.metadata(), d.spec(), catalog, podPolicy);
      kind = "DAG";
    } else if (doc.document() instanceof Document.Workflow w) {
      result = DagValidator.validateWorkflow(w.metadata(), w.spec());
      kind = "WorkFlow";
    } else {
      if (doc.document() instanceof Document.DagRun) {
        problems.add(
            prefixed(
                many,
                doc.index(),
                new Problem("kind", "a DagRun is started with POST /api/v1/runs, not applied")));
      }
      return;
    }
    result.problems().forEach(p -> problems.add(prefixed(many, doc.index(), p)));
    if (!result.ok()) {
      return;
    }
    List<DagStore.DagVersion> existing = store.versions(meta.key());
    DagStore.DagVersion latest = existing.isEmpty() ? null : existing.get(existing.size() - 1);
    DagSpec spec = result.value();
    int version =
        latest == null
            ? 1
            : Versions.nextAfter(
                latest.version(), latest.spec().versionedPart(), spec.versionedPart());
    boolean changed =
        latest == null || version > latest.version() || isSuspendedChange(meta.key(), spec);
    plans.add(new DagPlan(kind, meta, spec, version, changed));
  }

  private boolean isSuspendedChange(String dag, DagSpec spec) {
    return store.head(dag).map(h -> h.deleted() || h.suspended() != spec.suspended()).orElse(true);
  }

  /** Publishes every change in one batch, then records it; a failed publish writes nothing. */
  private void record(List<Plan> plans) {
    Instant now = clock.instant();
    List<Publisher.Outgoing> out = new ArrayList<>();
    for (Plan plan : plans) {
      if (plan instanceof TaskPlan t && t.changed()) {
        out.add(
            Publisher.Outgoing.catalog(
                Catalog.DagTaskPublished.key(t.meta().namespace(), t.meta().name(), t.version()),
                new Catalog.DagTaskPublished(
                    t.meta().namespace(), t.meta().name(), t.version(), t.spec())));
      } else if (plan instanceof DagPlan d && d.changed()) {
        out.add(
            Publisher.Outgoing.catalog(
                d.meta().key(),
                new Catalog.DagPublished(d.meta().key(), d.version(), d.spec(), now)));
      }
    }
    publisher.publish(out);
    store
        .database()
        .transaction(
            c -> {
              for (Plan plan : plans) {
                if (plan instanceof TaskPlan t && t.changed()) {
                  DagStore.recordDagTask(
                      c, t.meta().namespace(), t.meta().name(), t.version(), t.spec(), now);
                } else if (plan instanceof DagPlan d && d.changed()) {
                  DagStore.recordDag(c, d.meta().key(), d.version(), d.spec(), now, newSecret());
                }
              }
              return null;
            });
  }

  /** Suspends or resumes the schedule: the same version, republished with the flag. */
  public DagStore.DagHead setSuspended(String dag, boolean suspended) {
    DagStore.DagHead head = liveHead(dag);
    DagStore.DagVersion latest =
        store.version(dag, head.latestVersion()).orElseThrow(() -> missing(dag));
    if (head.suspended() != suspended) {
      Instant now = clock.instant();
      DagSpec spec = latest.spec().withSuspended(suspended);
      publisher.catalog(dag, new Catalog.DagPublished(dag, latest.version(), spec, now));
      store
          .database()
          .transaction(
              c -> {
                DagStore.recordDag(c, dag, latest.version(), spec, now, head.webhookSecret());
                return null;
              });
    }
    return liveHead(dag);
  }

  /** Deletes a DAG: no new runs; its versions stay for the history of past runs. */
  public void delete(String dag) {
    liveHead(dag);
    Instant now = clock.instant();
    publisher.catalog(dag, new Catalog.DagDeleted(dag, now));
    store
        .database()
        .transaction(
            c -> {
              DagStore.markDeleted(c, dag, now);
              return null;
            });
  }

  public DagStore.DagHead liveHead(String dag) {
    return store.head(dag).filter(h -> !h.deleted()).orElseThrow(() -> missing(dag));
  }

  public String newSecret() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static ApiException missing(String dag) {
    return ApiException.notFound("no DAG '" + dag + "'");
  }

  private static Applied applied(Plan plan) {
    if (plan instanceof TaskPlan t) {
      return new Applied(
          "DagTask", t.meta().namespace(), t.meta().name(), t.version(), t.changed());
    }
    DagPlan d = (DagPlan) plan;
    return new Applied(d.kind(), d.meta().namespace(), d.meta().name(), d.version(), d.changed());
  }

  private static Problem prefixed(boolean many, int index, Problem p) {
    if (!many || p.path().startsWith("line ")) {
      return p;
    }
    String at = "documents[" + index + "]";
    return new Problem(p.path().isEmpty() ? at : at + "." + p.path(), p.message());
  }

  /** The stored DagTask versions plus those of the documents being applied. */
  private static final class Overlay implements DagTaskCatalog {
    private final DagStore store;
    private final Map<String, TreeMap<Integer, DagTaskSpec>> added = new HashMap<>();

    Overlay(DagStore store) {
      this.store = store;
    }

    void add(String namespace, String name, int version, DagTaskSpec spec) {
      added.computeIfAbsent(namespace + "/" + name, k -> new TreeMap<>()).put(version, spec);
    }

    @Override
    public SortedMap<Integer, DagTaskSpec> versions(String namespace, String name) {
      SortedMap<Integer, DagTaskSpec> all = new TreeMap<>(store.dagTaskVersions(namespace, name));
      all.putAll(added.getOrDefault(namespace + "/" + name, new TreeMap<>()));
      return all;
    }
  }
}

package io.kontroler.api.dags;

import io.kontroler.api.http.ApiException;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.api.webhooks.WebhookTargets;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.Document;
import io.kontroler.core.dag.Metadata;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.DagParts;
import io.kontroler.core.message.Inbound;
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
 * path), then submits them to the scheduler and answers with the versions it published. Version
 * numbers have one owner, the scheduler partition of the DAG (or DagTask): the api predicts them
 * only for a dry run and for checking task references, and its DAG tables are written by the
 * catalog reader ({@link CatalogProjection}) alone. An unchanged spec keeps its version; {@code
 * suspended} alone never makes a new one.
 */
public final class DagService {

  /** What applying one document did. */
  public record Applied(String kind, String namespace, String name, int version, boolean changed) {}

  private sealed interface Plan {}

  /**
   * @param version as predicted from the api's view
   * @param latestBefore the latest version known before applying, null for a new DAG
   * @param flagsChange whether {@code suspended} changes or a deleted DAG comes back
   */
  private record DagPlan(
      String kind,
      Metadata meta,
      DagSpec spec,
      int version,
      Integer latestBefore,
      boolean flagsChange)
      implements Plan {
    boolean changed() {
      return latestBefore == null || version != latestBefore || flagsChange;
    }
  }

  /**
   * @param version as predicted from the api's view
   * @param known the versions known before applying
   */
  private record TaskPlan(
      Metadata meta, DagTaskSpec spec, int version, SortedMap<Integer, DagTaskSpec> known)
      implements Plan {
    boolean changed() {
      return isNew(version);
    }

    boolean isNew(int v) {
      return !spec.equals(known.get(v));
    }
  }

  private final DagStore store;
  private final Publisher publisher;
  private final Submissions submissions;
  private final WebhookTargets targets;
  private final Clock clock;
  private final SecureRandom random;
  private final PodPolicy podPolicy;

  public DagService(
      DagStore store,
      Publisher publisher,
      Submissions submissions,
      WebhookTargets targets,
      Clock clock,
      SecureRandom random) {
    this(store, publisher, submissions, targets, clock, random, PodPolicy.RESTRICTED);
  }

  /** A service that refuses DAGs and DagTasks whose pods break {@code podPolicy}. */
  public DagService(
      DagStore store,
      Publisher publisher,
      Submissions submissions,
      WebhookTargets targets,
      Clock clock,
      SecureRandom random,
      PodPolicy podPolicy) {
    this.podPolicy = podPolicy;
    this.store = store;
    this.publisher = publisher;
    this.submissions = submissions;
    this.targets = targets;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Validates {@code text}; unless {@code dryRun}, submits it and answers with the versions the
   * scheduler published. DagTasks go first, since DAGs of the same text may refer to them.
   */
  public List<Applied> apply(String text, boolean dryRun) {
    List<ParsedDocument> docs = DocumentParser.parse(text);
    List<Problem> problems = new ArrayList<>();
    if (docs.isEmpty()) {
      throw ApiException.badRequest(List.of(new Problem("", "expected at least one document")));
    }
    boolean many = docs.size() > 1;
    Overlay catalog = new Overlay(store);
    List<TaskPlan> tasks = new ArrayList<>();
    for (ParsedDocument doc : docs) {
      doc.problems().forEach(p -> problems.add(prefixed(many, doc.index(), p)));
      if (doc.document() instanceof Document.DagTask t) {
        planTask(t, catalog, tasks, problems, many, doc.index());
      }
    }
    List<DagPlan> dags = planDags(docs, catalog, problems, many);
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(problems);
    }
    if (dryRun) {
      List<Plan> plans = new ArrayList<>(tasks);
      plans.addAll(dags);
      return plans.stream().map(DagService::applied).toList();
    }
    List<Applied> out = new ArrayList<>(submitTasks(tasks));
    if (!tasks.isEmpty() && !dags.isEmpty()) {
      // the DagTasks' versions are the scheduler's now: resolve the DAGs' references against them
      dags = planDags(docs, new Overlay(store), problems, many);
      if (!problems.isEmpty()) {
        throw new ApiException(409, problems);
      }
    }
    out.addAll(submitDags(dags));
    return out;
  }

  private List<DagPlan> planDags(
      List<ParsedDocument> docs, Overlay catalog, List<Problem> problems, boolean many) {
    List<DagPlan> plans = new ArrayList<>();
    for (ParsedDocument doc : docs) {
      planDag(doc, catalog, plans, problems, many);
    }
    return plans;
  }

  private void planTask(
      Document.DagTask t,
      Overlay catalog,
      List<TaskPlan> plans,
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
    plans.add(new TaskPlan(t.metadata(), t.spec(), version, new TreeMap<>(known)));
  }

  private void planDag(
      ParsedDocument doc,
      Overlay catalog,
      List<DagPlan> plans,
      List<Problem> problems,
      boolean many) {
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
    if (result.value().webhook() != null && result.value().webhook().url() != null) {
      targets
          .refusalAtApply(result.value().webhook().url())
          .ifPresent(
              why ->
                  problems.add(prefixed(many, doc.index(), new Problem("spec.webhook.url", why))));
    }
    List<DagStore.DagVersion> existing = store.versions(meta.key());
    DagStore.DagVersion latest = existing.isEmpty() ? null : existing.get(existing.size() - 1);
    DagSpec spec = result.value();
    int version =
        latest == null
            ? 1
            : Versions.nextAfter(
                latest.version(), latest.spec().versionedPart(), spec.versionedPart());
    plans.add(
        new DagPlan(
            kind,
            meta,
            spec,
            version,
            latest == null ? null : latest.version(),
            isSuspendedChange(meta.key(), spec)));
  }

  private boolean isSuspendedChange(String dag, DagSpec spec) {
    return store.head(dag).map(h -> h.deleted() || h.suspended() != spec.suspended()).orElse(true);
  }

  /** Submits every DagTask in one batch; answers with the versions the scheduler gave them. */
  private List<Applied> submitTasks(List<TaskPlan> plans) {
    Instant now = clock.instant();
    List<Inbound> out = new ArrayList<>();
    for (TaskPlan t : plans) {
      String ns = t.meta().namespace();
      String name = t.meta().name();
      out.add(
          new Inbound.DagTaskSubmitted(
              Inbound.DagTaskSubmitted.key(ns, name), ns, name, t.spec(), newId(), now));
    }
    List<Integer> versions = submit(out);
    List<Applied> applied = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      TaskPlan t = plans.get(i);
      int version = versions.get(i);
      applied.add(
          new Applied("DagTask", t.meta().namespace(), t.meta().name(), version, t.isNew(version)));
    }
    return applied;
  }

  /** Submits every DAG in one batch; answers with the versions the scheduler gave them. */
  private List<Applied> submitDags(List<DagPlan> plans) {
    Instant now = clock.instant();
    List<Inbound> out = new ArrayList<>();
    for (DagPlan d : plans) {
      out.add(new Inbound.DagSubmitted(d.meta().key(), d.spec(), newId(), now));
    }
    List<Integer> versions = submit(out);
    List<Applied> applied = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      DagPlan d = plans.get(i);
      int version = versions.get(i);
      boolean changed = d.latestBefore() == null || version != d.latestBefore() || d.flagsChange();
      applied.add(new Applied(d.kind(), d.meta().namespace(), d.meta().name(), version, changed));
    }
    return applied;
  }

  /** Publishes the submissions in one transaction and waits for each one's version. */
  private List<Integer> submit(List<Inbound> batch) {
    List<String> ids = batch.stream().map(DagService::submissionId).toList();
    ids.forEach(submissions::expect);
    try {
      // a DAG too large for one record goes as its parts, then its head, in the same batch
      publisher.publish(
          batch.stream()
              .flatMap(
                  c ->
                      c instanceof Inbound.DagSubmitted d
                          ? DagParts.submission(d).stream()
                          : java.util.stream.Stream.of(c))
              .map(Publisher.Outgoing::command)
              .toList());
    } catch (RuntimeException e) {
      ids.forEach(submissions::forget);
      throw e;
    }
    List<Integer> versions = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      versions.add(submissions.await(ids.get(i), what(batch.get(i))));
    }
    return versions;
  }

  private static String submissionId(Inbound submission) {
    return submission instanceof Inbound.DagSubmitted d
        ? d.submissionId()
        : ((Inbound.DagTaskSubmitted) submission).submissionId();
  }

  private static String what(Inbound submission) {
    return submission instanceof Inbound.DagSubmitted d
        ? "DAG " + d.dag()
        : "DagTask "
            + ((Inbound.DagTaskSubmitted) submission).namespace()
            + "/"
            + ((Inbound.DagTaskSubmitted) submission).name();
  }

  private String newId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Suspends or resumes the schedule: the same version, republished with the flag. */
  public DagStore.DagHead setSuspended(String dag, boolean suspended) {
    DagStore.DagHead head = liveHead(dag);
    DagStore.DagVersion latest =
        store.version(dag, head.latestVersion()).orElseThrow(() -> missing(dag));
    if (head.suspended() != suspended) {
      // the scheduler keeps the version, since only the flag changes, and publishes it again
      DagSpec spec = latest.spec().withSuspended(suspended);
      submit(List.of(new Inbound.DagSubmitted(dag, spec, newId(), clock.instant())));
    }
    return liveHead(dag);
  }

  /**
   * Deletes a DAG: no new runs; its versions stay for the history of past runs, and the scheduler
   * keeps the last one so that numbering carries on if the DAG comes back. Published directly (no
   * number to decide) and recorded at once; the catalog reader records it again.
   */
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

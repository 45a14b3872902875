package io.kontroler.core.validate;

import io.kontroler.core.dag.DagRunSpec;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.Document;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.RunParameter;
import io.kontroler.core.parse.ParsedDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a set of documents together, as {@code kontroler validate} and {@code POST /dags} do:
 * the DagTasks in the set can satisfy the DAGs' {@code taskRef}s (added to what {@code known}
 * already holds), and a DagRun is checked against a DAG of the set with its name.
 */
public final class DocumentSetValidator {
  private DocumentSetValidator() {}

  /** One result a document, in the order given: its problems, parse problems included. */
  public record Result(ParsedDocument parsed, List<Problem> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** {@link #validate(List, DagTaskCatalog, PodPolicy)} under the default pod policy. */
  public static List<Result> validate(List<ParsedDocument> docs, DagTaskCatalog known) {
    return validate(docs, known, PodPolicy.RESTRICTED);
  }

  /** Validates {@code docs}, the pods of DAGs and DagTasks under {@code policy}. */
  public static List<Result> validate(
      List<ParsedDocument> docs, DagTaskCatalog known, PodPolicy policy) {
    CombinedCatalog catalog = new CombinedCatalog(known);
    Map<String, DagSpec> dags = new HashMap<>();
    for (ParsedDocument p : docs) {
      if (p.document() instanceof Document.DagTask t && p.problems().isEmpty()) {
        catalog.add(t.metadata().namespace(), t.metadata().name(), t.spec());
      }
      if (p.document() instanceof Document.Dag d) {
        dags.put(d.metadata().key(), d.spec());
      }
    }
    Map<String, String> cycles = SubDags.cycles(dags);
    List<Result> results = new ArrayList<>();
    for (ParsedDocument p : docs) {
      List<Problem> problems = new ArrayList<>(p.problems());
      if (p.document() != null) {
        problems.addAll(check(p.document(), catalog, dags, policy));
      }
      if (p.document() instanceof Document.Dag d && cycles.containsKey(d.metadata().key())) {
        problems.add(
            new Problem(
                "spec.task",
                "DAG '"
                    + d.metadata().name()
                    + "' runs itself through sub-DAGs: "
                    + cycles.get(d.metadata().key())));
      }
      results.add(new Result(p, problems));
    }
    return results;
  }

  private static List<Problem> check(
      Document doc, DagTaskCatalog catalog, Map<String, DagSpec> dags, PodPolicy policy) {
    if (doc instanceof Document.Dag d) {
      return DagValidator.validate(d.metadata(), d.spec(), catalog, policy).problems();
    }
    if (doc instanceof Document.DagTask t) {
      return DagValidator.validateDagTask(t.metadata(), t.spec(), policy);
    }
    if (doc instanceof Document.Workflow w) {
      return DagValidator.validateWorkflow(w.metadata(), w.spec()).problems();
    }
    Document.DagRun run = (Document.DagRun) doc;
    return checkRun(run, dags.get(run.metadata().namespace() + "/" + run.spec().dagName()), policy);
  }

  private static List<Problem> checkRun(Document.DagRun run, DagSpec dag, PodPolicy policy) {
    List<Problem> problems = new ArrayList<>();
    Names.checkMetadata("DagRun", run.metadata(), problems);
    DagRunSpec spec = run.spec();
    if (spec.dagName().isBlank()) {
      problems.add(new Problem("spec.dagName", "DagRun names no DAG"));
    }
    problems.addAll(RunValidator.checkOverrides(spec.parameters()));
    String namespace = run.metadata().namespace();
    for (int i = 0; i < spec.parameters().size(); i++) {
      String secret = spec.parameters().get(i).fromSecret();
      if (secret != null && !secret.isBlank() && !policy.secretAllowed(namespace, secret)) {
        problems.add(
            new Problem(
                "spec.parameters[" + i + "].fromSecret", policy.secretRefusal(namespace, secret)));
      }
    }
    if (dag == null) {
      return problems;
    }
    Map<String, ParameterValue> overrides = new LinkedHashMap<>();
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < spec.parameters().size(); i++) {
      RunParameter p = spec.parameters().get(i);
      overrides.put(p.name(), p.asValue());
      positions.put(p.name(), i);
    }
    for (Problem p : RunValidator.resolve(spec.dagName(), dag, overrides, "").problems()) {
      String name = p.path().substring(1, p.path().length() - 1);
      problems.add(new Problem("spec.parameters[" + positions.get(name) + "].name", p.message()));
    }
    return problems;
  }

  /** What {@code known} holds, with the set's own DagTasks added as new versions. */
  private static final class CombinedCatalog implements DagTaskCatalog {
    private final DagTaskCatalog known;
    private final DagTaskCatalog.InMemory added = new DagTaskCatalog.InMemory();
    private final Map<String, List<io.kontroler.core.dag.DagTaskSpec>> seeded = new HashMap<>();

    CombinedCatalog(DagTaskCatalog known) {
      this.known = known;
    }

    void add(String namespace, String name, io.kontroler.core.dag.DagTaskSpec spec) {
      String key = namespace + "/" + name;
      if (!seeded.containsKey(key)) {
        seeded.put(key, List.of());
        known.versions(namespace, name).values().forEach(v -> added.add(namespace, name, v));
      }
      added.add(namespace, name, spec);
    }

    @Override
    public java.util.SortedMap<Integer, io.kontroler.core.dag.DagTaskSpec> versions(
        String namespace, String name) {
      return seeded.containsKey(namespace + "/" + name)
          ? added.versions(namespace, name)
          : known.versions(namespace, name);
    }
  }
}

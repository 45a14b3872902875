package io.kontroler.ingest.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kontroler.core.dag.DagRunSpec;
import io.kontroler.core.dag.Document;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.RunParameter;
import io.kontroler.core.message.Inbound.CancelRun;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.parse.ParsedDocument;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.validate.Problem;
import io.kontroler.core.validate.RunValidator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DagRun resource: requests its run once (idempotency key = the resource's UID, so the run id is
 * known before the scheduler reads the request) and keeps its status equal to the run as reported
 * on {@code kontroler.run-events}. Deleting it cancels the run; its finalizer goes once the cancel
 * is recorded.
 */
final class DagRunReconciler implements Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(DagRunReconciler.class);
  private static final ResourceKind KIND = ResourceKind.DAG_RUN;

  private final ControllerContext ctx;
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  // UIDs whose run was requested: the informer cache may not show the status written yet
  private final Set<String> requestedUids = ConcurrentHashMap.newKeySet();

  DagRunReconciler(ControllerContext ctx) {
    this.ctx = ctx;
  }

  /** The DAG ({@code namespace/name}) a DagRun runs, or null when it names none. */
  static String dagOf(GenericKubernetesResource resource, DagRunSpec spec) {
    return spec.dagName().isBlank()
        ? null
        : resource.getMetadata().getNamespace() + "/" + spec.dagName();
  }

  @Override
  public void reconcile(GenericKubernetesResource resource) {
    String ns = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    ParsedDocument parsed = Resources.parse(resource);
    List<String> problems = new ArrayList<>();
    parsed.problems().forEach(p -> problems.add(p.toString()));
    DagRunSpec spec = null;
    if (parsed.document() instanceof Document.DagRun run) {
      spec = run.spec();
      RunValidator.checkOverrides(spec.parameters()).forEach(p -> problems.add(p.toString()));
      if (spec.dagName().isBlank()) {
        problems.add(new Problem("spec.dagName", "missing: the DAG to run").toString());
      }
    } else if (problems.isEmpty()) {
      problems.add("kind: expected a DagRun");
    }
    String dag = spec == null ? null : dagOf(resource, spec);
    String runId = dag == null ? null : RunIds.forRequest(dag, resource.getMetadata().getUid());
    if (runId != null) {
      ctx.runs().own(runId, new WorkItem(KIND, ns, name));
    }
    String uid = resource.getMetadata().getUid();
    boolean requested =
        Resources.statusString(resource, "runId") != null || requestedUids.contains(uid);
    if (Resources.deleting(resource)) {
      if (Resources.hasFinalizer(resource, KIND.finalizer())) {
        if (requested && runId != null) {
          cancel(dag, runId, "DagRun " + ns + "/" + name + " was deleted");
        }
        ctx.kube().removeFinalizer(KIND, ns, name);
        requestedUids.remove(uid);
      }
      return;
    }
    ctx.kube().addFinalizer(KIND, ns, name);
    Long generation = resource.getMetadata().getGeneration();
    if (!problems.isEmpty()) {
      ctx.kube().status(KIND, ns, name, RunStatus.refused(problems, generation));
      return;
    }
    if (!requested) {
      request(resource, dag, spec);
      requestedUids.add(uid);
    }
    RunSummary view = ctx.runs().get(runId).orElse(RunSummary.requested(runId, dag));
    ctx.kube().status(KIND, ns, name, RunStatus.of(view, generation));
  }

  @Override
  public List<String> runsOf(GenericKubernetesResource resource) {
    String runId = Resources.statusString(resource, "runId");
    if (runId != null) {
      return List.of(runId);
    }
    Object spec = resource.getAdditionalProperties().get("spec");
    Object dagName = spec instanceof Map<?, ?> m ? m.get("dagName") : null;
    if (!(dagName instanceof String d) || d.isBlank()) {
      return List.of();
    }
    String dag = resource.getMetadata().getNamespace() + "/" + d;
    return List.of(RunIds.forRequest(dag, resource.getMetadata().getUid()));
  }

  @Override
  public void gone(GenericKubernetesResource lastSeen) {
    // the finalizer normally cancels the run; a DagRun removed without it is cancelled here
    String runId = Resources.statusString(lastSeen, "runId");
    String dag = Resources.statusString(lastSeen, "dag");
    if (runId != null && dag != null) {
      cancel(dag, runId, "DagRun " + Resources.key(lastSeen) + " was deleted");
    }
  }

  private void request(GenericKubernetesResource resource, String dag, DagRunSpec spec) {
    Map<String, ParameterValue> parameters = new LinkedHashMap<>();
    for (RunParameter p : spec.parameters()) {
      parameters.put(p.name(), p.asValue());
    }
    String created = resource.getMetadata().getCreationTimestamp();
    Instant requestedAt = created == null ? ctx.clock().instant() : Instant.parse(created);
    ctx.outbox()
        .command(
            new RunRequested(
                dag,
                resource.getMetadata().getName(),
                parameters,
                resource.getMetadata().getUid(),
                requestedAt));
    LOG.info("Requested a run of {} for DagRun {}", dag, Resources.key(resource));
  }

  private void cancel(String dag, String runId, String reason) {
    Optional<RunSummary> view = ctx.runs().get(runId);
    if (view.isPresent() && !view.get().isActive() || !cancelled.add(runId)) {
      return;
    }
    ctx.outbox().command(new CancelRun(dag, runId, reason));
    LOG.info("Cancelled run {} of {}: {}", runId, dag, reason);
  }
}

package io.kontroler.ingest.workflow;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.Document;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.Inbound.CancelRun;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.parse.ParsedDocument;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.validate.DagValidator;
import io.kontroler.core.validate.Problem;
import io.kontroler.core.validate.Validated;
import io.kontroler.ingest.k8s.ControllerContext;
import io.kontroler.ingest.k8s.Reconciler;
import io.kontroler.ingest.k8s.ResourceKind;
import io.kontroler.ingest.k8s.Resources;
import io.kontroler.ingest.k8s.RunSummary;
import io.kontroler.ingest.k8s.WorkItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kopf WorkFlow: mapped onto a DAG ({@code <namespace>/workflow.<name>}, each step a task whose
 * deadline is {@code maxStepTimeout}) and run once per spec generation. A new generation cancels
 * the old run, deletes its Jobs and starts over; relabelling the WorkFlow relabels its Jobs;
 * deleting it cancels the run, deletes its Jobs and the DAG before its finalizer goes.
 */
public final class WorkflowReconciler implements Reconciler {
  /** The prefix of the DAG name a WorkFlow runs as. */
  public static final String DAG_PREFIX = "workflow.";

  private static final Logger LOG = LoggerFactory.getLogger(WorkflowReconciler.class);
  private static final ResourceKind KIND = ResourceKind.WORKFLOW;

  private final ControllerContext ctx;
  private final WorkflowJobs jobs;
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  // the run last started per WorkFlow UID: the informer cache may not show the status written yet
  private final Map<String, String> started = new ConcurrentHashMap<>();

  public WorkflowReconciler(ControllerContext ctx) {
    this.ctx = ctx;
    this.jobs = new WorkflowJobs(ctx.kube().client());
  }

  /** The DAG ({@code namespace/workflow.name}) a WorkFlow runs as. */
  public static String dagOf(String namespace, String name) {
    return namespace + "/" + DAG_PREFIX + name;
  }

  @Override
  public void reconcile(GenericKubernetesResource resource) {
    String ns = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    String dag = dagOf(ns, name);
    Map<String, Object> previous = Resources.status(resource);
    String uid = resource.getMetadata().getUid();
    String oldRunId = started.getOrDefault(uid, Resources.statusString(resource, "runId"));
    Long generation = resource.getMetadata().getGeneration();
    String runId = RunIds.forRequest(dag, idempotencyKey(resource));
    ctx.runs().own(runId, new WorkItem(KIND, ns, name));
    if (Resources.deleting(resource)) {
      if (Resources.hasFinalizer(resource, KIND.finalizer())) {
        stopRun(ns, dag, oldRunId, "WorkFlow " + ns + "/" + name + " was deleted");
        unpublish(dag);
        ctx.kube().removeFinalizer(KIND, ns, name);
        started.remove(uid);
      }
      return;
    }
    ctx.kube().addFinalizer(KIND, ns, name);
    boolean startsOver = oldRunId != null && !oldRunId.equals(runId);
    if (startsOver) {
      stopRun(ns, dag, oldRunId, "the spec of WorkFlow " + ns + "/" + name + " changed");
      ctx.runs().disown(oldRunId);
    }
    Validated<DagSpec> validated = validate(resource);
    if (!validated.ok()) {
      List<String> lines = validated.problems().stream().map(Problem::toString).toList();
      String message = "rejected: " + String.join("; ", lines);
      ctx.kube()
          .status(
              KIND,
              ns,
              name,
              WorkflowStatus.build(
                  WorkflowStatus.Value.Failed,
                  message,
                  null,
                  null,
                  generation,
                  previous,
                  ctx.clock().instant()));
      return;
    }
    if (oldRunId == null || startsOver) {
      start(resource, dag, validated.value(), runId);
      started.put(uid, runId);
    }
    jobs.relabel(ns, runId, resource.getMetadata().getLabels());
    RunSummary run = ctx.runs().get(runId).orElse(RunSummary.requested(runId, dag));
    WorkflowStatus.Value value = WorkflowStatus.of(run);
    ctx.kube()
        .status(
            KIND,
            ns,
            name,
            WorkflowStatus.build(
                value,
                message(value, run, startsOver),
                runId,
                dag,
                generation,
                startsOver ? Map.of() : previous,
                ctx.clock().instant()));
  }

  @Override
  public List<String> runsOf(GenericKubernetesResource resource) {
    List<String> runs = new ArrayList<>();
    String dag = dagOf(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    runs.add(RunIds.forRequest(dag, idempotencyKey(resource)));
    String last = Resources.statusString(resource, "runId");
    if (last != null && !runs.contains(last)) {
      runs.add(last);
    }
    return runs;
  }

  @Override
  public void gone(GenericKubernetesResource lastSeen) {
    String ns = lastSeen.getMetadata().getNamespace();
    String dag = dagOf(ns, lastSeen.getMetadata().getName());
    stopRun(ns, dag, Resources.statusString(lastSeen, "runId"), "WorkFlow was deleted");
    unpublish(dag);
  }

  private static String idempotencyKey(GenericKubernetesResource resource) {
    Long generation = resource.getMetadata().getGeneration();
    return resource.getMetadata().getUid() + "/" + (generation == null ? 1 : generation);
  }

  private Validated<DagSpec> validate(GenericKubernetesResource resource) {
    ParsedDocument parsed = Resources.parse(resource);
    List<Problem> problems = new ArrayList<>(parsed.problems());
    DagSpec dag = null;
    if (parsed.document() instanceof Document.Workflow workflow) {
      Validated<DagSpec> checked =
          DagValidator.validateWorkflow(workflow.metadata(), workflow.spec());
      problems.addAll(checked.problems());
      dag = checked.value();
    } else if (problems.isEmpty()) {
      problems.add(new Problem("kind", "expected a WorkFlow"));
    }
    return new Validated<>(dag, problems);
  }

  private void start(GenericKubernetesResource resource, String dag, DagSpec spec, String runId) {
    int version = ctx.submitter().dag(dag, spec);
    ctx.outbox()
        .command(
            new RunRequested(
                dag,
                resource.getMetadata().getName(),
                Map.of(),
                idempotencyKey(resource),
                ctx.clock().instant()));
    LOG.info(
        "Started WorkFlow {} as run {} of {} version {}",
        Resources.key(resource),
        runId,
        dag,
        version);
  }

  private void stopRun(String namespace, String dag, String runId, String reason) {
    if (runId == null) {
      return;
    }
    Optional<RunSummary> view = ctx.runs().get(runId);
    boolean active = view.isEmpty() || view.get().isActive();
    if (active && cancelled.add(runId)) {
      ctx.outbox().command(new CancelRun(dag, runId, reason));
    }
    jobs.delete(namespace, runId);
  }

  private void unpublish(String dag) {
    if (ctx.catalog().dag(dag).isPresent()) {
      DagDeleted deleted = new DagDeleted(dag, ctx.clock().instant());
      ctx.outbox().catalog(dag, deleted);
      ctx.catalog().apply(deleted);
    }
  }

  private static String message(WorkflowStatus.Value value, RunSummary run, boolean startedOver) {
    if (run.message() != null && value != WorkflowStatus.Value.Created) {
      return run.message();
    }
    return switch (value) {
      case Created -> startedOver ? "spec changed: started over" : "run requested";
      case Started -> "running: " + run.progress() + " steps done";
      case Completed -> "completed: " + run.progress() + " steps succeeded";
      case Failed -> "failed";
    };
  }
}

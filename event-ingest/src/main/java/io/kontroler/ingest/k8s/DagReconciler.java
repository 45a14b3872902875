package io.kontroler.ingest.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.Document;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.parse.ParsedDocument;
import io.kontroler.core.validate.DagValidator;
import io.kontroler.core.validate.Problem;
import io.kontroler.core.validate.Validated;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DAG resource: validated against the DagTasks in the catalog and, when its spec changed,
 * submitted to the scheduler, which numbers the version and publishes it to {@code kontroler.dags};
 * its status says accepted (with that version) or rejected (with every problem), and keeps the
 * DAG's latest run ({@link DagLastRuns}). Deleting it publishes {@code DagDeleted} before its
 * finalizer goes.
 */
final class DagReconciler implements Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(DagReconciler.class);
  private static final ResourceKind KIND = ResourceKind.DAG;

  /** The status field of the DAG's latest run. */
  static final String LAST_RUN = "lastRun";

  private final ControllerContext ctx;
  private final DagLastRuns lastRuns;

  DagReconciler(ControllerContext ctx, DagLastRuns lastRuns) {
    this.ctx = ctx;
    this.lastRuns = lastRuns;
  }

  @Override
  public void reconcile(GenericKubernetesResource resource) {
    String ns = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    if (Resources.deleting(resource)) {
      if (Resources.hasFinalizer(resource, KIND.finalizer())) {
        unpublish(Resources.key(resource));
        ctx.kube().removeFinalizer(KIND, ns, name);
      }
      return;
    }
    ctx.kube().addFinalizer(KIND, ns, name);
    ParsedDocument parsed = Resources.parse(resource);
    List<Problem> problems = new ArrayList<>(parsed.problems());
    Validated<DagSpec> validated = null;
    if (parsed.document() instanceof Document.Dag dag) {
      validated = DagValidator.validate(dag.metadata(), dag.spec(), ctx.catalog(), ctx.podPolicy());
      problems.addAll(validated.problems());
    } else if (problems.isEmpty()) {
      problems.add(new Problem("kind", "expected a DAG"));
    }
    Long generation = resource.getMetadata().getGeneration();
    if (!problems.isEmpty()) {
      LOG.info("Rejected DAG {}: {}", Resources.key(resource), problems);
      ctx.kube()
          .status(
              KIND, ns, name, withLastRun(CatalogStatus.rejected(problems, generation), resource));
      return;
    }
    int version = publish(Resources.key(resource), validated.value());
    ctx.kube()
        .status(
            KIND,
            ns,
            name,
            withLastRun(
                CatalogStatus.accepted(
                    version,
                    generation,
                    "version " + version + (validated.value().suspended() ? ", suspended" : "")),
                resource));
    ctx.enqueueAll(ResourceKind.DAG_TASK, ns);
  }

  /**
   * The status with the DAG's latest run: as run-events told it, or as the status said when this
   * controller has not heard of a run of the DAG.
   */
  private Map<String, Object> withLastRun(
      Map<String, Object> status, GenericKubernetesResource resource) {
    Object lastRun =
        lastRuns
            .get(Resources.key(resource))
            .<Object>map(DagLastRuns.LastRun::toStatus)
            .orElse(Resources.status(resource).get(LAST_RUN));
    if (lastRun != null) {
      status.put(LAST_RUN, lastRun);
    }
    return status;
  }

  @Override
  public void gone(GenericKubernetesResource lastSeen) {
    lastRuns.forget(Resources.key(lastSeen));
    unpublish(Resources.key(lastSeen));
    ctx.enqueueAll(ResourceKind.DAG_TASK, lastSeen.getMetadata().getNamespace());
  }

  private int publish(String key, DagSpec spec) {
    int version = ctx.submitter().dag(key, spec);
    LOG.debug("DAG {} is version {}", key, version);
    return version;
  }

  private void unpublish(String key) {
    if (ctx.catalog().dag(key).isEmpty()) {
      return;
    }
    DagDeleted deleted = new DagDeleted(key, ctx.clock().instant());
    ctx.outbox().catalog(key, deleted);
    ctx.catalog().apply(deleted);
    LOG.info("Deleted DAG {}", key);
  }
}

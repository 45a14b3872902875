package io.kontroler.ingest.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kontroler.core.dag.Document;
import io.kontroler.core.parse.ParsedDocument;
import io.kontroler.core.validate.DagValidator;
import io.kontroler.core.validate.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DagTask resource: validated and, when its spec changed, submitted to the scheduler, which
 * numbers the version and publishes it to {@code kontroler.dags}; DAGs of its namespace are then
 * checked again, since a DAG may have waited for it. While any DAG uses one of its versions, its
 * finalizer stays and its status says which DAGs.
 */
final class DagTaskReconciler implements Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(DagTaskReconciler.class);
  private static final ResourceKind KIND = ResourceKind.DAG_TASK;

  private final ControllerContext ctx;

  DagTaskReconciler(ControllerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void reconcile(GenericKubernetesResource resource) {
    String ns = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    if (Resources.deleting(resource)) {
      if (Resources.hasFinalizer(resource, KIND.finalizer())) {
        finishDeletion(resource);
      }
      return;
    }
    ctx.kube().addFinalizer(KIND, ns, name);
    ParsedDocument parsed = Resources.parse(resource);
    List<Problem> problems = new ArrayList<>(parsed.problems());
    if (parsed.document() instanceof Document.DagTask task) {
      problems.addAll(DagValidator.validateDagTask(task.metadata(), task.spec(), ctx.podPolicy()));
    } else if (problems.isEmpty()) {
      problems.add(new Problem("kind", "expected a DagTask"));
    }
    Long generation = resource.getMetadata().getGeneration();
    if (!problems.isEmpty()) {
      LOG.info("Rejected DagTask {}/{}: {}", ns, name, problems);
      ctx.kube().status(KIND, ns, name, CatalogStatus.rejected(problems, generation));
      return;
    }
    var spec = ((Document.DagTask) parsed.document()).spec();
    int version = ctx.submitter().dagTask(ns, name, spec);
    LOG.debug("DagTask {}/{} is version {}", ns, name, version);
    ctx.kube()
        .status(KIND, ns, name, CatalogStatus.accepted(version, generation, "version " + version));
    ctx.enqueueAll(ResourceKind.DAG, ns);
  }

  private void finishDeletion(GenericKubernetesResource resource) {
    String ns = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    List<String> users = ctx.catalog().dagsUsing(ns, name);
    if (users.isEmpty()) {
      ctx.kube().removeFinalizer(KIND, ns, name);
      LOG.info("DagTask {}/{} is no longer used; let it go", ns, name);
      return;
    }
    Map<String, Object> status = new LinkedHashMap<>(Resources.status(resource));
    status.put("message", "cannot be deleted while used by DAG " + String.join(", ", users));
    status.put("usedBy", users);
    ctx.kube().status(KIND, ns, name, status);
  }
}

package io.kontroler.ingest.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kontroler.core.validate.PodPolicy;
import io.kontroler.ingest.Outbox;
import io.kontroler.ingest.catalog.CatalogView;
import io.kontroler.ingest.catalog.Submitter;
import java.time.Clock;
import java.util.List;

/**
 * What reconcilers share: the API writer, the outbox, the catalog and who submits to it, the runs
 * of the controller's resources, the clock, the controller's caches and queue, and the pod policy
 * DAGs and DagTasks are validated under.
 */
public record ControllerContext(
    KubeWriter kube,
    Outbox outbox,
    CatalogView catalog,
    Submitter submitter,
    OwnedRuns runs,
    Clock clock,
    Watched watched,
    PodPolicy podPolicy) {

  /** The controller's informer caches and work queue, as reconcilers see them. */
  public interface Watched {
    /** Cached resources of {@code kind} in {@code namespace}. */
    List<GenericKubernetesResource> list(ResourceKind kind, String namespace);

    /** Queues a reconcile of the resource. */
    void enqueue(WorkItem item);
  }

  /** Queues every cached resource of {@code kind} in {@code namespace}. */
  public void enqueueAll(ResourceKind kind, String namespace) {
    for (GenericKubernetesResource r : watched.list(kind, namespace)) {
      watched.enqueue(new WorkItem(kind, namespace, r.getMetadata().getName()));
    }
  }
}

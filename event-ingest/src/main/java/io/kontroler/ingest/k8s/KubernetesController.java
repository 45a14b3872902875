package io.kontroler.ingest.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kontroler.broker.loop.LoopHealth;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.validate.PodPolicy;
import io.kontroler.ingest.Outbox;
import io.kontroler.ingest.catalog.CatalogView;
import io.kontroler.ingest.catalog.Submitter;
import io.kontroler.ingest.workflow.WorkflowReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes controller of Kontroler's resources: informers on DAG, DagTask, DagRun and
 * WorkFlow in every namespace or in a configured set, one work queue, a reconciler per kind. A
 * change of a run (from {@code kontroler.run-events}) queues the resource that owns the run, so its
 * status follows the run; only the runs of existing resources are kept ({@link OwnedRuns}). A DAG's
 * status says its latest run ({@link DagLastRuns}), written when that run changes phase.
 */
public final class KubernetesController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesController.class);
  private static final long RESYNC_MILLIS = Duration.ofMinutes(10).toMillis();

  private final KubernetesClient client;
  private final List<String> namespaces;
  private final Map<ResourceKind, List<SharedIndexInformer<GenericKubernetesResource>>> informers =
      new EnumMap<>(ResourceKind.class);
  private final Map<ResourceKind, Reconciler> reconcilers = new EnumMap<>(ResourceKind.class);
  private final WorkQueue queue;
  private final OwnedRuns runs = new OwnedRuns();
  private final DagLastRuns lastRuns = new DagLastRuns(this::watchesDag);
  private final KubeWriter kube;
  // set once run-events was read up to its end: from then on each change of a latest run is written
  private volatile boolean caughtUp;
  private final RunEventFeed feed;
  private final LoopHealth loops = new LoopHealth();
  private volatile SupervisedLoop runEvents;

  /**
   * @param namespaces the namespaces to watch; empty for all
   */
  public KubernetesController(
      KubernetesClient client,
      List<String> namespaces,
      Outbox outbox,
      CatalogView catalog,
      Clock clock,
      RunEventFeed feed) {
    this(client, namespaces, outbox, catalog, clock, feed, PodPolicy.RESTRICTED);
  }

  /** A controller that rejects DAGs and DagTasks whose pods break {@code podPolicy}. */
  public KubernetesController(
      KubernetesClient client,
      List<String> namespaces,
      Outbox outbox,
      CatalogView catalog,
      Clock clock,
      RunEventFeed feed,
      PodPolicy podPolicy) {
    this.client = client;
    this.namespaces = List.copyOf(namespaces);
    this.queue = new WorkQueue(this::reconcile);
    this.feed = feed;
    this.kube = new KubeWriter(client);
    ControllerContext ctx =
        new ControllerContext(
            kube,
            outbox,
            catalog,
            new Submitter(outbox, catalog, clock),
            runs,
            clock,
            new Caches(),
            podPolicy);
    reconcilers.put(ResourceKind.DAG, new DagReconciler(ctx, lastRuns));
    reconcilers.put(ResourceKind.DAG_TASK, new DagTaskReconciler(ctx));
    reconcilers.put(ResourceKind.DAG_RUN, new DagRunReconciler(ctx));
    reconcilers.put(ResourceKind.WORKFLOW, new WorkflowReconciler(ctx));
    runs.onChange(queue::add);
    loops.watch(queue.loop());
  }

  /** The runs of this controller's resources. */
  public OwnedRuns runs() {
    return runs;
  }

  /** The controller's loops that are not healthy now (work queue, run-events). */
  public List<LoopHealth.Problem> problems() {
    return loops.problems();
  }

  /** Starts the informers and waits until their caches hold what the API server has. */
  public void start(Duration syncTimeout) {
    // DagTasks first: DAGs that refer to them are validated against the catalog they fill
    for (ResourceKind kind : ResourceKind.values()) {
      List<SharedIndexInformer<GenericKubernetesResource>> list = new ArrayList<>();
      for (String ns : namespaces.isEmpty() ? List.of("") : namespaces) {
        var resources = client.genericKubernetesResources(kind.context());
        var informer =
            ns.isEmpty()
                ? resources.inAnyNamespace().runnableInformer(RESYNC_MILLIS)
                : resources.inNamespace(ns).runnableInformer(RESYNC_MILLIS);
        informer.addEventHandler(new Handler(kind));
        list.add(informer);
      }
      informers.put(kind, list);
    }
    informers.get(ResourceKind.DAG_TASK).forEach(i -> startAndWait(i, syncTimeout));
    for (ResourceKind kind : ResourceKind.values()) {
      if (kind != ResourceKind.DAG_TASK) {
        informers.get(kind).forEach(i -> startAndWait(i, syncTimeout));
      }
    }
    // the runs of the resources there are, before run-events is read: a status never goes back
    for (ResourceKind kind : List.of(ResourceKind.DAG_RUN, ResourceKind.WORKFLOW)) {
      for (SharedIndexInformer<GenericKubernetesResource> informer : informers.get(kind)) {
        for (GenericKubernetesResource r : informer.getStore().list()) {
          WorkItem owner = item(kind, r);
          reconcilers.get(kind).runsOf(r).forEach(runId -> runs.own(runId, owner));
        }
      }
    }
    followRunEvents(syncTimeout);
    queue.start();
    LOG.info(
        "Watching DAG, DagTask, DagRun and WorkFlow in {}",
        namespaces.isEmpty() ? "all namespaces" : namespaces);
  }

  private void followRunEvents(Duration timeout) {
    try {
      Optional<SupervisedLoop> loop = feed.follow(this::onRunEvent, timeout);
      loop.ifPresent(loops::watch);
      runEvents = loop.orElse(null);
      caughtUp = true;
      lastRuns.dags().forEach(this::writeLastRun);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading run-events", e);
    }
  }

  /** Applies a notification of run-events to the runs of DagRuns and WorkFlows, and of DAGs. */
  public void onRunEvent(RunCommand.Notification notification) {
    runs.apply(notification);
    Optional<String> changed = lastRuns.apply(notification);
    if (caughtUp) {
      changed.ifPresent(this::writeLastRun);
    }
  }

  /**
   * Writes the DAG's {@code status.lastRun} on the queue's thread, as it is when the write runs. A
   * write that fails is made good by the DAG's next reconcile (at the latest at the informers'
   * resync), which writes the status with its latest run.
   */
  private void writeLastRun(String dag) {
    queue.addTask(
        () ->
            lastRuns
                .get(dag)
                .ifPresent(
                    last -> {
                      String[] key = dag.split("/", 2);
                      kube.statusField(
                          ResourceKind.DAG,
                          key[0],
                          key[1],
                          DagReconciler.LAST_RUN,
                          last.toStatus());
                    }));
  }

  private boolean watchesDag(String dag) {
    String[] key = dag.split("/", 2);
    return key.length == 2 && find(new WorkItem(ResourceKind.DAG, key[0], key[1])) != null;
  }

  /** How many DAGs' latest runs are kept; for checks that memory follows the resources. */
  public int dagsWithLastRun() {
    return lastRuns.size();
  }

  private static WorkItem item(ResourceKind kind, GenericKubernetesResource r) {
    return new WorkItem(kind, r.getMetadata().getNamespace(), r.getMetadata().getName());
  }

  private static void startAndWait(SharedIndexInformer<?> informer, Duration timeout) {
    try {
      informer.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting an informer", e);
    } catch (Exception e) {
      throw new IllegalStateException("Expected an informer to sync, but " + e, e);
    }
  }

  private void reconcile(WorkItem item) {
    GenericKubernetesResource resource = find(item);
    if (resource != null) {
      reconcilers.get(item.kind()).reconcile(resource);
    }
  }

  private GenericKubernetesResource find(WorkItem item) {
    String key = Cache.namespaceKeyFunc(item.namespace(), item.name());
    for (SharedIndexInformer<GenericKubernetesResource> informer :
        informers.getOrDefault(item.kind(), List.of())) {
      GenericKubernetesResource found = informer.getStore().getByKey(key);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  @Override
  public void close() {
    SupervisedLoop following = runEvents;
    if (following != null) {
      following.close();
    }
    informers.values().forEach(list -> list.forEach(SharedIndexInformer::close));
    queue.close();
  }

  private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
    private final ResourceKind kind;

    Handler(ResourceKind kind) {
      this.kind = kind;
    }

    @Override
    public void onAdd(GenericKubernetesResource r) {
      queue.add(item(r));
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource r) {
      // a DAG's status written (its latest run, most often) changes nothing to reconcile
      if (kind == ResourceKind.DAG && Resources.onlyStatusChanged(old, r)) {
        return;
      }
      queue.add(item(r));
    }

    @Override
    public void onDelete(GenericKubernetesResource r, boolean finalStateUnknown) {
      queue.addTask(
          () -> {
            if (find(item(r)) == null) {
              reconcilers.get(kind).gone(r);
              runs.release(item(r));
            }
          });
    }

    private WorkItem item(GenericKubernetesResource r) {
      return KubernetesController.item(kind, r);
    }
  }

  private final class Caches implements ControllerContext.Watched {
    @Override
    public List<GenericKubernetesResource> list(ResourceKind kind, String namespace) {
      List<GenericKubernetesResource> found = new ArrayList<>();
      for (SharedIndexInformer<GenericKubernetesResource> informer :
          informers.getOrDefault(kind, List.of())) {
        for (GenericKubernetesResource r : informer.getStore().list()) {
          if (namespace.equals(r.getMetadata().getNamespace())) {
            found.add(r);
          }
        }
      }
      return found;
    }

    @Override
    public void enqueue(WorkItem item) {
      queue.add(item);
    }
  }
}

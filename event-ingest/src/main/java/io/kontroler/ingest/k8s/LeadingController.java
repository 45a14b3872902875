package io.kontroler.ingest.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kontroler.broker.loop.LoopHealth;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Kubernetes controller on one ingest node at a time: the nodes elect a leader through a
 * {@code coordination.k8s.io} Lease; the leader runs a fresh controller for as long as it leads,
 * and a node that loses the lease stops its controller and stands for election again.
 */
public final class LeadingController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeadingController.class);

  /**
   * The election: the Lease {@code namespace/name}, this node's identity, and its timings.
   *
   * @param lease how long a lease holds without renewal
   * @param renewDeadline how long the leader tries to renew before it gives up leading
   * @param retryPeriod how often candidates try to acquire and the leader renews
   */
  public record Election(
      String namespace,
      String name,
      String identity,
      Duration lease,
      Duration renewDeadline,
      Duration retryPeriod) {

    public static Election of(String namespace, String identity) {
      return new Election(
          namespace,
          "kontroler-ingest-controller",
          identity,
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2));
    }
  }

  private final KubernetesClient client;
  private final Election election;
  private final Supplier<KubernetesController> controllers;
  private final Duration syncTimeout;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "kontroler-ingest-leader");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;
  private volatile CompletableFuture<?> electing;
  private volatile KubernetesController current;
  // why the controller did not start while this node leads, for readiness
  private volatile String startFailure;

  public LeadingController(
      KubernetesClient client,
      Election election,
      Supplier<KubernetesController> controllers,
      Duration syncTimeout) {
    this.client = client;
    this.election = election;
    this.controllers = controllers;
    this.syncTimeout = syncTimeout;
  }

  /** Stands for election; returns at once. */
  public void start() {
    if (closed) {
      return;
    }
    var config =
        new LeaderElectionConfigBuilder()
            .withName(election.name())
            .withLock(new LeaseLock(election.namespace(), election.name(), election.identity()))
            .withLeaseDuration(election.lease())
            .withRenewDeadline(election.renewDeadline())
            .withRetryPeriod(election.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    () -> submit(this::lead),
                    () -> submit(this::follow),
                    leader -> LOG.info("The Kubernetes controller's leader is {}", leader)))
            .build();
    electing = client.leaderElector().withConfig(config).build().start();
    electing.whenComplete(
        (done, error) -> {
          submit(this::follow);
          if (!closed) {
            LOG.info("{} stands for election again", election.identity());
            start();
          }
        });
  }

  private void submit(Runnable task) {
    try {
      worker.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: the last task stopped the controller
    }
  }

  /** Whether this node runs the controller now. */
  public boolean leading() {
    return current != null;
  }

  /** The loops of the controller this node runs that are not healthy; empty when it runs none. */
  public List<LoopHealth.Problem> problems() {
    KubernetesController running = current;
    if (running != null) {
      return running.problems();
    }
    String failure = startFailure;
    return failure == null
        ? List.of()
        : List.of(new LoopHealth.Problem(election.name(), "did not start: " + failure));
  }

  private synchronized void lead() {
    if (closed || current != null) {
      return;
    }
    LOG.info("{} leads: starting the Kubernetes controller", election.identity());
    KubernetesController controller = controllers.get();
    try {
      controller.start(syncTimeout);
      current = controller;
      startFailure = null;
    } catch (RuntimeException e) {
      LOG.error("The Kubernetes controller did not start", e);
      startFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
      controller.close();
    }
  }

  private synchronized void follow() {
    startFailure = null;
    if (current != null) {
      LOG.info("{} no longer leads: stopping the Kubernetes controller", election.identity());
      current.close();
      current = null;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<?> running = electing;
    if (running != null) {
      running.cancel(true);
    }
    submit(this::follow);
    worker.shutdown();
    try {
      worker.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.kontroler.ingest.k8s;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reconciles one resource at a time on a single thread, so reconcilers never race each other; an
 * item queued twice before it runs runs once. A reconcile that throws is retried with a growing
 * delay (1 s doubling up to 30 s) until it succeeds or the item is queued anew.
 */
final class WorkQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
  private static final Duration MAX_DELAY = Duration.ofSeconds(30);

  private final ScheduledThreadPoolExecutor executor =
      new ScheduledThreadPoolExecutor(
          1,
          r -> {
            Thread t = new Thread(r, "kontroler-ingest-reconcile");
            t.setDaemon(true);
            return t;
          });
  private final Set<WorkItem> queued = ConcurrentHashMap.newKeySet();
  private final Map<WorkItem, Integer> failures = new ConcurrentHashMap<>();
  private final Consumer<WorkItem> reconcile;

  WorkQueue(Consumer<WorkItem> reconcile) {
    this.reconcile = reconcile;
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  void add(WorkItem item) {
    if (queued.add(item)) {
      submit(() -> run(item));
    }
  }

  /** Runs a one-off task on the queue's thread, after what is queued before it. */
  void addTask(Runnable task) {
    submit(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warn("A controller task failed", e);
          }
        });
  }

  private void submit(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("Dropped work: the controller is closing");
    }
  }

  private void run(WorkItem item) {
    queued.remove(item);
    MDC.put("resource", item.toString());
    try {
      reconcile.accept(item);
      failures.remove(item);
    } catch (RuntimeException e) {
      if (executor.isShutdown()) {
        LOG.debug("Reconciling {} stopped: the controller is closing", item, e);
        return;
      }
      int failed = failures.merge(item, 1, Integer::sum);
      long delay = Math.min(MAX_DELAY.toMillis(), 1000L << Math.min(failed - 1, 5));
      LOG.warn("Reconciling {} failed ({} time(s)); retrying in {} ms", item, failed, delay, e);
      if (!executor.isShutdown()) {
        executor.schedule(() -> add(item), delay, TimeUnit.MILLISECONDS);
      }
    } finally {
      MDC.remove("resource");
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}

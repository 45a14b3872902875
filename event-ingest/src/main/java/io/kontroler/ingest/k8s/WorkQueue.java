package io.kontroler.ingest.k8s;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.kontroler.broker.loop.SupervisedLoop;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reconciles one resource at a time on a single {@link SupervisedLoop}, so reconcilers never race
 * each other; an item queued twice before it runs runs once. A reconcile that throws is retried
 * with a growing delay (1 s doubling up to 30 s) until it succeeds or the item is queued anew.
 * Items queued before {@link #start()} wait for it, so that nothing is reconciled before the
 * controller has read what it needs.
 */
final class WorkQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);

  /** A failed reconcile is retried after 1 s, doubling up to 30 s, until it succeeds. */
  private static final RetryPolicy<Object> RETRIES =
      RetryPolicy.builder()
          .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
          .withMaxAttempts(-1)
          .build();

  /** An item to reconcile or a one-off task, due at {@code dueNanos}; FIFO among equal times. */
  private record Entry(WorkItem item, Runnable task, long dueNanos, long sequence)
      implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Entry o = (Entry) other;
      int byTime = Long.compare(dueNanos, o.dueNanos);
      return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
    }
  }

  private final DelayQueue<Entry> due = new DelayQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Set<WorkItem> queued = ConcurrentHashMap.newKeySet();
  private final Map<WorkItem, Execution<Object>> failures = new ConcurrentHashMap<>();
  private final Consumer<WorkItem> reconcile;
  private final SupervisedLoop loop;

  WorkQueue(Consumer<WorkItem> reconcile) {
    this.reconcile = reconcile;
    this.loop = new SupervisedLoop("kontroler-ingest-reconcile", () -> this::step);
  }

  SupervisedLoop loop() {
    return loop;
  }

  void start() {
    loop.start();
  }

  void add(WorkItem item) {
    if (queued.add(item)) {
      due.add(entry(item, null, 0));
    }
  }

  /** Runs a one-off task on the queue's thread, after what is queued before it. */
  void addTask(Runnable task) {
    due.add(entry(null, task, 0));
  }

  private Entry entry(WorkItem item, Runnable task, long delayMillis) {
    long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    return new Entry(item, task, at, sequence.incrementAndGet());
  }

  private void step() throws InterruptedException {
    Entry next = due.poll(500, TimeUnit.MILLISECONDS);
    if (next == null) {
      return;
    }
    if (next.item() == null) {
      try {
        next.task().run();
      } catch (RuntimeException e) {
        LOG.warn("A controller task failed", e);
      }
      return;
    }
    run(next.item());
  }

  private void run(WorkItem item) {
    queued.remove(item);
    MDC.put("resource", item.toString());
    try {
      reconcile.accept(item);
      failures.remove(item);
    } catch (RuntimeException e) {
      Execution<Object> attempts = failures.computeIfAbsent(item, i -> Execution.of(RETRIES));
      attempts.recordException(e);
      long delay = attempts.getDelay().toMillis();
      int failed = attempts.getAttemptCount();
      LOG.warn("Reconciling {} failed ({} time(s)); retrying in {} ms", item, failed, delay, e);
      due.add(entry(null, () -> add(item), delay));
    } finally {
      MDC.remove("resource");
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}

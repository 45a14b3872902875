package io.kontroler.api.http;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live streams (log follows, event streams) open at once: bounded per user and in all, so that
 * no viewer can exhaust the api. A stream runs on this pool's threads, never on those that serve
 * the other routes; the pool holds at most one thread per permitted stream.
 */
public final class LiveStreams implements AutoCloseable {
  /** A held place; closing it (more than once is fine) gives the place back. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private final int max;
  private final int perUser;
  private final Map<String, Integer> byUser = new HashMap<>();
  private int open;
  private final ThreadPoolExecutor pool;

  public LiveStreams(int max, int perUser) {
    this.max = max;
    this.perUser = perUser;
    AtomicInteger n = new AtomicInteger();
    // One thread per stream at most: a permit is taken before a task is submitted.
    this.pool =
        new ThreadPoolExecutor(
            0,
            2 * max + 2,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "kontroler-stream-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * A place for one more stream of {@code user}, or an {@link ApiException} 429 that says which
   * bound was reached.
   */
  public synchronized Permit acquire(String user) {
    int mine = byUser.getOrDefault(user, 0);
    if (mine >= perUser) {
      throw new ApiException(
          429,
          "user '"
              + user
              + "' already has "
              + mine
              + " live streams open, the most allowed (api.streams.per.user); close one first");
    }
    if (open >= max) {
      throw new ApiException(
          429,
          "the api already serves "
              + open
              + " live streams, the most allowed (api.streams.max); try again later");
    }
    open++;
    byUser.put(user, mine + 1);
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        release(user);
      }
    };
  }

  private synchronized void release(String user) {
    open--;
    byUser.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
  }

  public synchronized int open() {
    return open;
  }

  /** Where streams run. */
  public ExecutorService executor() {
    return pool;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}

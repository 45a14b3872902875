package io.kontroler.api.dags;

import io.kontroler.api.http.ApiException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DAG and DagTask submissions waiting for the scheduler's answer: a submission is registered before
 * it is published, and completed with its version when the catalog reader has recorded the
 * DagPublished or DagTaskPublished that carries its id.
 */
public final class Submissions {
  private final Map<String, CompletableFuture<Integer>> waiting = new ConcurrentHashMap<>();
  private final Duration timeout;

  public Submissions(Duration timeout) {
    this.timeout = timeout;
  }

  /** Registers {@code id}; call before publishing it. */
  public void expect(String id) {
    waiting.put(id, new CompletableFuture<>());
  }

  /** The catalog reader recorded {@code version} for submission {@code id}. */
  public void published(String id, int version) {
    CompletableFuture<Integer> f = waiting.get(id);
    if (f != null) {
      f.complete(version);
    }
  }

  /** Forgets {@code id}, e.g. when publishing it failed. */
  public void forget(String id) {
    waiting.remove(id);
  }

  /**
   * The version the scheduler gave submission {@code id} of {@code what}; 504 when it did not
   * answer within the timeout.
   */
  public int await(String id, String what) {
    CompletableFuture<Integer> f = waiting.get(id);
    if (f == null) {
      throw new IllegalStateException("Expected submission " + id + " to be expected, but not");
    }
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ApiException(
          504,
          "Expected the scheduler to publish "
              + what
              + " within "
              + timeout.toSeconds()
              + " s, but it did not answer: it was submitted (id "
              + id
              + ") and may still be published; check the DAG list or apply again");
    } catch (ExecutionException e) {
      throw new IllegalStateException("Expected a version for " + what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while waiting for the scheduler");
    } finally {
      waiting.remove(id);
    }
  }
}

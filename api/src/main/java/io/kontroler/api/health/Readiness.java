package io.kontroler.api.health;

import io.kontroler.api.db.Database;
import io.kontroler.broker.loop.LoopHealth;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the api can do its work: the history database answers and every supervised loop (history
 * projection, catalog reader, webhook sender) runs. The database is probed on a thread of its own
 * and waited for at most {@code databaseWait}, so that the answer comes quickly even while the
 * database hangs; concurrent checks share one probe.
 */
public final class Readiness implements AutoCloseable {

  /** The answer of a readiness check. */
  public record Report(boolean ready, boolean database, List<LoopHealth.Problem> loops) {}

  private final Database database;
  private final LoopHealth loops;
  private final Duration databaseWait;
  private final ExecutorService probe =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "kontroler-api-db-probe");
            t.setDaemon(true);
            return t;
          });
  private CompletableFuture<Boolean> inFlight;

  public Readiness(Database database, LoopHealth loops, Duration databaseWait) {
    this.database = database;
    this.loops = loops;
    this.databaseWait = databaseWait;
  }

  public Report check() {
    boolean db = databaseReachable();
    List<LoopHealth.Problem> problems = loops.problems();
    return new Report(db && problems.isEmpty(), db, problems);
  }

  private boolean databaseReachable() {
    CompletableFuture<Boolean> probing;
    synchronized (this) {
      if (inFlight == null || inFlight.isDone()) {
        inFlight = CompletableFuture.supplyAsync(database::reachable, probe);
      }
      probing = inFlight;
    }
    try {
      return probing.get(databaseWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    probe.shutdownNow();
  }
}

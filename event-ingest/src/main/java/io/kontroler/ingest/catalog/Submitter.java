package io.kontroler.ingest.catalog;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import io.kontroler.core.message.DagParts;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.DagSubmitted;
import io.kontroler.core.message.Inbound.DagTaskSubmitted;
import io.kontroler.ingest.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits validated DAG and DagTask specs to the scheduler, which alone numbers versions, and waits
 * (at most {@link #TIMEOUT}) until the catalog shows the record that answers the submission; a spec
 * equal to the latest one known is not submitted again.
 */
public final class Submitter {
  private static final Logger LOG = LoggerFactory.getLogger(Submitter.class);

  /** How long to wait for the scheduler's answer. */
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final Outbox outbox;
  private final CatalogView catalog;
  private final Clock clock;
  private final Duration timeout;

  public Submitter(Outbox outbox, CatalogView catalog, Clock clock) {
    this(outbox, catalog, clock, TIMEOUT);
  }

  public Submitter(Outbox outbox, CatalogView catalog, Clock clock, Duration timeout) {
    this.outbox = outbox;
    this.catalog = catalog;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** The version of {@code spec} as DAG {@code dag}: the latest, or the one the scheduler gives. */
  public int dag(String dag, DagSpec spec) {
    var latest = catalog.dag(dag);
    if (latest.isPresent() && latest.get().spec().equals(spec)) {
      return latest.get().version();
    }
    String id = UUID.randomUUID().toString();
    Catalog answer = submit(id, new DagSubmitted(dag, spec, id, clock.instant()), "DAG " + dag);
    return ((DagPublished) answer).version();
  }

  /** The version of {@code spec} as DagTask {@code namespace/name}. */
  public int dagTask(String namespace, String name, DagTaskSpec spec) {
    var latest = catalog.latestDagTask(namespace, name);
    if (latest.isPresent() && latest.get().getValue().equals(spec)) {
      return latest.get().getKey();
    }
    String id = UUID.randomUUID().toString();
    DagTaskSubmitted submitted =
        new DagTaskSubmitted(
            DagTaskSubmitted.key(namespace, name), namespace, name, spec, id, clock.instant());
    Catalog answer = submit(id, submitted, "DagTask " + namespace + "/" + name);
    return ((DagTaskPublished) answer).version();
  }

  private static String describe(Catalog published) {
    return published instanceof DagPublished p
        ? "version " + p.version()
        : "version " + ((DagTaskPublished) published).version();
  }

  private Catalog submit(String id, Inbound submission, String what) {
    var answer = catalog.expect(id);
    try {
      if (submission instanceof DagSubmitted d) {
        // a DAG too large for one record goes as its parts, then its head
        DagParts.submission(d).forEach(outbox::command);
      } else {
        outbox.command(submission);
      }
      Catalog published = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("Submitted {}: the scheduler published {}", what, describe(published));
      return published;
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Expected the scheduler to publish "
              + what
              + " (submission "
              + id
              + ") within "
              + timeout.toSeconds()
              + " s, but kontroler.dags showed no answer; is a scheduler running?",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + what + " to publish", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Expected an answer for " + what + ", but " + e, e);
    } finally {
      catalog.forget(id);
    }
  }
}

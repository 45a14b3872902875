package io.kontroler.scheduler.topology;

import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.Catalog.DagPart;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.DagParts;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code kontroler.dags}: each published version is kept under {@code dag#version} (runs in
 * flight keep theirs; the parts of a split version, which come before its head, under their own
 * keys) and becomes the DAG's latest unless a later one is known; a deleted DAG takes no new runs
 * but keeps its last version, so numbering carries on. The versions this scheduler numbered itself
 * ({@link CatalogSubmissions}) are in its stores already, written in the same transaction as the
 * record; reading them back changes nothing but a deletion read in between. DagTask records are
 * numbered by the scheduler but not read by it.
 */
final class CatalogProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogProcessor.class);
  private final PlanCache plans;
  private final Duration retention;
  private RunDriver driver;

  CatalogProcessor(PlanCache plans, Duration retention) {
    this.plans = plans;
    this.retention = retention;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    driver =
        new RunDriver(
            context, RunStores.from(context), plans, CommitPacing.INTERVAL_ONLY, retention);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    try {
      handle(record);
    } catch (RuntimeException e) {
      LOG.error("Could not process a catalog record with key {}", record.key(), e);
      driver.deadLetter(record, "internal error: " + e);
    }
  }

  /**
   * Keeps a version; a whole spec too large for one part (from a producer that does not split) is
   * kept split, so that no value of the store outgrows a part.
   */
  private static void store(DagVersions versions, DagPublished p) {
    if (p.partCount() > 0) {
      versions.putHead(p.dag(), p.version(), p);
      return;
    }
    List<DagParts.Slice> slices = DagParts.slices(p.spec());
    if (slices.size() == 1) {
      versions.putHead(p.dag(), p.version(), p);
      return;
    }
    for (int i = 0; i < slices.size(); i++) {
      DagParts.Slice s = slices.get(i);
      versions.putPart(new DagPart(p.dag(), p.version(), i, s.task(), s.onExit()));
    }
    versions.putHead(p.dag(), p.version(), p.withSpec(DagParts.headOf(p.spec()), slices.size()));
  }

  private void handle(Record<String, byte[]> record) {
    if (record.value() == null) {
      return; // a compaction tombstone
    }
    Catalog message;
    try {
      message = MessageCodec.decode(record.value(), Catalog.class);
    } catch (InvalidMessageException e) {
      driver.deadLetter(record, e.getMessage());
      return;
    }
    RunStores stores = driver.stores();
    DagVersions versions = stores.versions();
    if (message instanceof DagPart part) {
      // kept until its head comes (parts come first); the parts of a version this scheduler
      // numbered are in its store already
      if (part.dag() != null && !versions.has(part.dag(), part.version())) {
        versions.putPart(part);
      }
    } else if (message instanceof DagPublished p) {
      if (p.dag() == null || p.spec() == null || p.version() < 1) {
        driver.deadLetter(record, "DagPublished needs a dag, a spec and a version >= 1");
        return;
      }
      if (!versions.has(p.dag(), p.version())) {
        if (!versions.hasParts(p.dag(), p.version(), p.partCount())) {
          driver.deadLetter(
              record,
              "Expected the "
                  + p.partCount()
                  + " parts of DAG "
                  + p.dag()
                  + " version "
                  + p.version()
                  + " before its head, but some are missing");
          return;
        }
        store(versions, p);
      }
      DagHead head = stores.heads().get(p.dag());
      if (head == null || head.deleted() || p.version() >= head.version()) {
        stores.heads().put(p.dag(), new DagHead(p.version(), false));
      }
      LOG.debug("DAG {} version {} published", p.dag(), p.version());
    } else if (message instanceof DagDeleted d && d.dag() != null) {
      DagHead head = stores.heads().get(d.dag());
      if (head != null) {
        stores.heads().put(d.dag(), new DagHead(head.version(), true));
      }
      LOG.info("DAG {} deleted: no new runs", d.dag());
    }
  }
}

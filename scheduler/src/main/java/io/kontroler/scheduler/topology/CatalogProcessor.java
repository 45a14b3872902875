package io.kontroler.scheduler.topology;

import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code kontroler.dags}: each published version is kept under {@code dag#version} (runs in
 * flight keep theirs) and becomes the DAG's latest unless a later one is known; a deleted DAG takes
 * no new runs but keeps its last version, so numbering carries on. The versions this scheduler
 * numbered itself ({@link CatalogSubmissions}) are in its stores already, written in the same
 * transaction as the record; reading them back changes nothing but a deletion read in between.
 * DagTask records are numbered by the scheduler but not read by it.
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
    if (message instanceof DagPublished p) {
      if (p.dag() == null || p.spec() == null || p.version() < 1) {
        driver.deadLetter(record, "DagPublished needs a dag, a spec and a version >= 1");
        return;
      }
      String key = VersionKeys.of(p.dag(), p.version());
      if (stores.versions().get(key) == null) {
        stores.versions().put(key, p.spec());
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

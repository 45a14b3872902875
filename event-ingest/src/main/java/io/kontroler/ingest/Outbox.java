package io.kontroler.ingest;

import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;

/**
 * Where the ingest publishes what it decided. Every method returns once the record is durable
 * (acknowledged by the broker), so a caller may act on its publication, e.g. remove a finalizer
 * after the cancel of a run was recorded.
 */
public interface Outbox {

  /** A command on {@code kontroler.commands}, keyed by the command's DAG. */
  void command(Inbound command);

  /** A record of the compacted {@code kontroler.dags} topic under {@code key}. */
  void catalog(String key, Catalog record);

  /** A record that could not be processed, on {@code kontroler.dead-letters}. */
  void deadLetter(String key, DeadLetter letter);
}

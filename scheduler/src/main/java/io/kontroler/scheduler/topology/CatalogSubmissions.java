package io.kontroler.scheduler.topology;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import io.kontroler.core.message.Inbound.DagSubmitted;
import io.kontroler.core.message.Inbound.DagTaskSubmitted;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of version numbers: the partition that owns a DAG (or a DagTask's {@code
 * dagtask:namespace/name}) numbers its submissions and publishes each on {@code kontroler.dags},
 * with the submission's id, in the same transaction as its own stores learn it. A spec equal to the
 * latest is that version again ({@code suspended} may differ); otherwise it is the next number,
 * carrying on from a deleted DAG's last version.
 */
final class CatalogSubmissions {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogSubmissions.class);
  private final ProcessorContext<String, byte[]> context;
  private final RunStores stores;
  private final int maxMessageBytes;

  /**
   * @param maxMessageBytes the size policy: a version whose record is larger is refused
   */
  CatalogSubmissions(
      ProcessorContext<String, byte[]> context, RunStores stores, int maxMessageBytes) {
    this.context = context;
    this.stores = stores;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** The version {@code submitted} gets after {@code latest}, numbered {@code latestVersion}. */
  static int versionFor(int latestVersion, Object latest, Object submitted) {
    if (latestVersion < 1) {
      return 1;
    }
    return submitted.equals(latest) ? latestVersion : latestVersion + 1;
  }

  /**
   * Numbers and publishes {@code s}; the answer is why it was refused (its record would be too
   * large), with nothing written, or empty.
   */
  Optional<String> dag(DagSubmitted s, long timestamp) {
    DagHead head = stores.heads().get(s.dag());
    int latestVersion = head == null ? 0 : head.version();
    DagSpec latest =
        head == null ? null : stores.versions().get(VersionKeys.of(s.dag(), head.version()));
    int version =
        versionFor(
            latestVersion,
            latest == null ? null : latest.versionedPart(),
            s.spec().versionedPart());
    Instant at = s.submittedAt() != null ? s.submittedAt() : Instant.ofEpochMilli(timestamp);
    byte[] record =
        MessageCodec.encode(new DagPublished(s.dag(), version, s.spec(), at, s.submissionId()));
    if (record.length > maxMessageBytes) {
      return Optional.of(tooLarge("DAG " + s.dag(), record.length));
    }
    // dag-versions keeps the latest suspended flag of a version; the part that runs use is equal
    stores.versions().put(VersionKeys.of(s.dag(), version), s.spec());
    stores.heads().put(s.dag(), new DagHead(version, false));
    publish(s.dag(), record, timestamp);
    LOG.info(
        "DAG {} submission {} is version {}{}",
        s.dag(),
        s.submissionId(),
        version,
        version == latestVersion ? " (unchanged)" : "");
    return Optional.empty();
  }

  /** The same for a DagTask. */
  Optional<String> dagTask(DagTaskSubmitted s, long timestamp) {
    DagTaskHead head = stores.dagTaskHeads().get(s.dag());
    int version = head == null ? 1 : versionFor(head.version(), head.spec(), s.spec());
    byte[] record =
        MessageCodec.encode(
            new DagTaskPublished(s.namespace(), s.name(), version, s.spec(), s.submissionId()));
    if (record.length > maxMessageBytes) {
      return Optional.of(tooLarge("DagTask " + s.dag(), record.length));
    }
    stores.dagTaskHeads().put(s.dag(), new DagTaskHead(version, s.spec()));
    publish(DagTaskPublished.key(s.namespace(), s.name(), version), record, timestamp);
    LOG.info("DagTask {} submission {} is version {}", s.dag(), s.submissionId(), version);
    return Optional.empty();
  }

  private String tooLarge(String what, int size) {
    return "Expected a version record of at most "
        + Topics.MAX_MESSAGE_BYTES_KEY
        + " = "
        + maxMessageBytes
        + " bytes, but "
        + what
        + " would be "
        + size
        + " bytes: not published";
  }

  private void publish(String key, byte[] value, long timestamp) {
    context.forward(new Record<>(key, value, timestamp), SchedulerTopology.DAGS_SINK);
  }
}

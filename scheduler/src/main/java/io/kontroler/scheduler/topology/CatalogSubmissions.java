package io.kontroler.scheduler.topology;

import io.kontroler.core.message.Catalog.DagPart;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import io.kontroler.core.message.DagParts;
import io.kontroler.core.message.Inbound.DagSubmissionPart;
import io.kontroler.core.message.Inbound.DagSubmitted;
import io.kontroler.core.message.Inbound.DagTaskSubmitted;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import java.time.Instant;
import java.util.List;
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

  /** Keeps a part of a submission too large for one record until its head comes. */
  void part(DagSubmissionPart p) {
    stores.versions().putPending(p.dag(), p.submissionId(), DagParts.Slice.of(p), p.part());
  }

  /**
   * Numbers and publishes {@code s} (with its parts, when it was split); the answer is why it was
   * refused (a part is missing, or a record would be too large), or empty. A version whose tasks do
   * not fit one part is stored and published as parts first, then its head, every record in this
   * transaction.
   */
  Optional<String> dag(DagSubmitted s, long timestamp) {
    DagVersions versions = stores.versions();
    VersionView submitted;
    if (s.partCount() > 0) {
      for (int i = 0; i < s.partCount(); i++) {
        if (versions.pending(s.dag(), s.submissionId(), i) == null) {
          // Refused: the parts that did come are let go with it, not kept for a head that is gone.
          versions.deletePending(s.dag(), s.submissionId(), s.partCount());
          return Optional.of(
              "Expected "
                  + s.partCount()
                  + " parts of submission "
                  + s.submissionId()
                  + " before its head, but part "
                  + i
                  + " is missing: not published");
        }
      }
      submitted =
          new VersionView(
              s.spec(), s.partCount(), i -> versions.pending(s.dag(), s.submissionId(), i));
    } else {
      submitted = VersionView.split(s.spec(), DagParts.MAX_PART_BYTES);
    }
    DagHead head = stores.heads().get(s.dag());
    int latestVersion = head == null ? 0 : head.version();
    VersionView latest = head == null ? null : versions.view(s.dag(), head.version());
    int version =
        latestVersion < 1 || latest == null || !submitted.sameVersionAs(latest)
            ? latestVersion + 1
            : latestVersion;
    Instant at = s.submittedAt() != null ? s.submittedAt() : Instant.ofEpochMilli(timestamp);
    DagPublished published;
    if (submitted.count() == 1) {
      published = new DagPublished(s.dag(), version, s.spec(), at, s.submissionId());
      if (s.partCount() > 0) {
        published =
            published.withSpec(DagParts.join(s.spec(), List.of(submitted.slice().apply(0))), null);
      }
    } else {
      for (int i = 0; i < submitted.count(); i++) {
        DagParts.Slice slice = submitted.slice().apply(i);
        DagPart part = new DagPart(s.dag(), version, i, slice.task(), slice.onExit());
        byte[] record = MessageCodec.encode(part);
        if (record.length > maxMessageBytes) {
          return Optional.of(tooLarge("part " + i + " of DAG " + s.dag(), record.length));
        }
        versions.putPart(part);
        publish(DagPart.key(s.dag(), version, i), record, timestamp);
      }
      published =
          new DagPublished(
              s.dag(), version, DagParts.headOf(s.spec()), at, s.submissionId(), submitted.count());
    }
    byte[] record = MessageCodec.encode(published);
    if (record.length > maxMessageBytes) {
      return Optional.of(tooLarge("DAG " + s.dag(), record.length));
    }
    // dag-versions keeps the latest suspended flag of a version; the part that runs use is equal
    versions.putHead(s.dag(), version, published);
    versions.deletePending(s.dag(), s.submissionId(), s.partCount());
    stores.heads().put(s.dag(), new DagHead(version, false));
    publish(s.dag(), record, timestamp);
    LOG.info(
        "DAG {} submission {} is version {}{}{}",
        s.dag(),
        s.submissionId(),
        version,
        submitted.count() > 1 ? " in " + submitted.count() + " parts" : "",
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

  /** A part goes to its DAG's partition: see {@link DagPartitioner}. */
  private void publish(String key, byte[] value, long timestamp) {
    context.forward(new Record<>(key, value, timestamp), SchedulerTopology.DAGS_SINK);
  }
}

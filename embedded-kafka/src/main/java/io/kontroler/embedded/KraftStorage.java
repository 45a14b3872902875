package io.kontroler.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import kafka.server.KafkaConfig;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/** Formats a KRaft node's log directory once: a directory already formatted is left as it is. */
public final class KraftStorage {
  private static final String META_PROPERTIES = "meta.properties";

  private KraftStorage() {}

  /**
   * Formats {@code logDir} for node {@code nodeId} of cluster {@code clusterId} unless it holds a
   * formatted node already, so that a restart resumes with the data of the previous run.
   */
  public static void formatIfNew(KafkaConfig config, int nodeId, String clusterId, Path logDir) {
    if (Files.exists(logDir.resolve(META_PROPERTIES))) {
      return;
    }
    try {
      new Formatter()
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
          .setMetadataLogDirectory(config.metadataLogDir())
          .addDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setIgnoreFormatted(true)
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("Could not format the Kafka storage in " + logDir, e);
    }
  }
}

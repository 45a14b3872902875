package io.kontroler.logstore;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.BOOL;
import static io.kontroler.core.config.ValueType.LONG;
import static io.kontroler.core.config.ValueType.MILLIS;
import static io.kontroler.core.config.ValueType.TEXT;
import static io.kontroler.core.config.ValueType.TEXT_OR_EMPTY;
import static io.kontroler.core.config.ValueType.URL;
import static io.kontroler.core.config.ValueType.oneOf;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where task logs go: a folder {@code <dataDir>/logs}, or S3 (spooled in {@code
 * <dataDir>/logs-spool} until uploaded). The {@code logs.*} keys are described once, in {@link
 * #TABLE}; {@link #toString()} masks the secret key.
 */
public record LogStoreConfig(
    Kind kind,
    Path dataDir,
    String bucket,
    URI endpoint,
    String region,
    boolean pathStyle,
    String accessKeyId,
    String secretAccessKey,
    long multipartThreshold,
    long partSize,
    Duration retryInitialBackoff,
    Duration retryMaxBackoff,
    Duration requestTimeout,
    Duration liveUploadInterval) {

  /** The smallest part S3 accepts (except the last one). */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  /** The kinds of log store. */
  public enum Kind {
    LOCAL,
    S3
  }

  public LogStoreConfig {
    if (kind == Kind.S3 && (bucket == null || bucket.isBlank())) {
      throw new IllegalArgumentException("Expected logs.s3.bucket with logs.store=s3, but none");
    }
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "Expected logs.s3.part.size.bytes >= " + MIN_PART_SIZE + ", but got " + partSize);
    }
    if (multipartThreshold < partSize) {
      throw new IllegalArgumentException(
          "Expected logs.s3.multipart.threshold.bytes >= logs.s3.part.size.bytes ("
              + partSize
              + "), but got "
              + multipartThreshold);
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException(
          "Expected both logs.s3.access.key.id and logs.s3.secret.access.key, or neither (the"
              + " default credential chain)");
    }
    region = region == null || region.isBlank() ? "us-east-1" : region;
  }

  public static final ConfigKey<LogStoreConfig, Kind> KIND =
      key("logs.store", oneOf(Kind.class), "local")
          .readFrom(LogStoreConfig::kind)
          .doc(
              "Where attempt logs go: local, a folder <data dir>/logs; s3, a bucket (spooled in <data dir>/logs-spool until uploaded).");
  public static final ConfigKey<LogStoreConfig, String> BUCKET =
      key("logs.s3.bucket", TEXT_OR_EMPTY, "kontroler-logs")
          .readFrom(LogStoreConfig::bucket)
          .doc("The bucket; objects are runs/<run>/<task>/<attempt>.log.");
  public static final ConfigKey<LogStoreConfig, URI> ENDPOINT =
      key("logs.s3.endpoint", URL, null)
          .readFrom(LogStoreConfig::endpoint)
          .doc("none: AWS S3 itself; set it for MinIO, Ceph, s3proxy and the like.");
  public static final ConfigKey<LogStoreConfig, String> REGION =
      key("logs.s3.region", TEXT, "us-east-1").readFrom(LogStoreConfig::region).doc("The region.");
  public static final ConfigKey<LogStoreConfig, Boolean> PATH_STYLE =
      key("logs.s3.path.style", BOOL, "false")
          .readFrom(LogStoreConfig::pathStyle)
          .doc(
              "Path-style addressing instead of virtual hosts; most S3-compatible stores want true.");
  public static final ConfigKey<LogStoreConfig, String> ACCESS_KEY_ID =
      key("logs.s3.access.key.id", TEXT, null)
          .readFrom(LogStoreConfig::accessKeyId)
          .doc(
              "Static credentials with logs.s3.secret.access.key; none: the default AWS credential chain (environment, profile, web identity/IRSA, instance role).")
          .shownAs("the AWS credential chain");
  public static final ConfigKey<LogStoreConfig, String> SECRET_ACCESS_KEY =
      key("logs.s3.secret.access.key", TEXT, null)
          .readFrom(LogStoreConfig::secretAccessKey)
          .doc("The secret of logs.s3.access.key.id.")
          .shownAs("the AWS credential chain")
          .masked();
  public static final ConfigKey<LogStoreConfig, Long> MULTIPART_THRESHOLD =
      key("logs.s3.multipart.threshold.bytes", LONG, String.valueOf(16L * 1024 * 1024))
          .readFrom(LogStoreConfig::multipartThreshold)
          .doc("Larger logs upload in parts.");
  public static final ConfigKey<LogStoreConfig, Long> PART_SIZE =
      key("logs.s3.part.size.bytes", LONG, String.valueOf(8L * 1024 * 1024))
          .readFrom(LogStoreConfig::partSize)
          .doc("The size of a part, at least 5 MiB (the S3 minimum).");
  public static final ConfigKey<LogStoreConfig, Duration> RETRY_INITIAL =
      key("logs.s3.retry.initial.ms", MILLIS.notNegative(), "1000")
          .readFrom(LogStoreConfig::retryInitialBackoff)
          .doc(
              "A failed upload is retried after this long, doubling up to logs.s3.retry.max.ms, forever; the log stays in the spool until it succeeds.");
  public static final ConfigKey<LogStoreConfig, Duration> RETRY_MAX =
      key("logs.s3.retry.max.ms", MILLIS.notNegative(), "60000")
          .readFrom(LogStoreConfig::retryMaxBackoff)
          .doc("The longest wait between upload attempts.");
  public static final ConfigKey<LogStoreConfig, Duration> REQUEST_TIMEOUT =
      key("logs.s3.request.timeout.ms", MILLIS.positive(), "60000")
          .readFrom(LogStoreConfig::requestTimeout)
          .doc("One S3 call, all its SDK retries included.");
  public static final ConfigKey<LogStoreConfig, Duration> LIVE_UPLOAD =
      key("logs.s3.live.upload.ms", MILLIS.notNegative(), "10000")
          .readFrom(LogStoreConfig::liveUploadInterval)
          .doc(
              "While an attempt runs, its log so far is copied this often to <attempt>.log.partial for readers in other processes; 0 turns it off. Logs past the multipart threshold are not copied until they end.");

  /** The {@code logs.*} keys. */
  public static final ConfigTable<LogStoreConfig> TABLE =
      ConfigTable.of(
          KIND,
          BUCKET,
          ENDPOINT,
          REGION,
          PATH_STYLE,
          ACCESS_KEY_ID,
          SECRET_ACCESS_KEY,
          MULTIPART_THRESHOLD,
          PART_SIZE,
          RETRY_INITIAL,
          RETRY_MAX,
          REQUEST_TIMEOUT,
          LIVE_UPLOAD);

  /** A local folder under {@code dataDir}, with the S3 settings at their defaults. */
  public static LogStoreConfig defaults(Path dataDir) {
    return fromFlat(Map.of(), dataDir);
  }

  /** Reads the {@code logs.*} keys; absent keys take their defaults. */
  public static LogStoreConfig fromFlat(Map<String, String> c, Path dataDir) {
    return from(TABLE.require(c), dataDir);
  }

  /** The store in {@code v}, read by a table that includes {@link #TABLE}. */
  public static LogStoreConfig from(ConfigValues v, Path dataDir) {
    return new LogStoreConfig(
        v.get(KIND),
        dataDir,
        v.get(BUCKET),
        v.get(ENDPOINT),
        v.get(REGION),
        v.get(PATH_STYLE),
        v.get(ACCESS_KEY_ID),
        v.get(SECRET_ACCESS_KEY),
        v.get(MULTIPART_THRESHOLD),
        v.get(PART_SIZE),
        v.get(RETRY_INITIAL),
        v.get(RETRY_MAX),
        v.get(REQUEST_TIMEOUT),
        v.get(LIVE_UPLOAD));
  }

  /** A copy with the {@code logs.*} keys {@code overrides} sets. */
  public LogStoreConfig with(Map<String, String> overrides) {
    return fromFlat(TABLE.merged(this, overrides), dataDir);
  }

  /** The folder of the local store. */
  public Path localRoot() {
    return dataDir.resolve("logs");
  }

  /** The folder where the S3 store keeps logs until they are uploaded. */
  public Path spoolRoot() {
    return dataDir.resolve("logs-spool");
  }

  /** Never shows the secret key. */
  @Override
  public String toString() {
    return TABLE.show("LogStoreConfig[dataDir=" + dataDir + "]", this);
  }
}

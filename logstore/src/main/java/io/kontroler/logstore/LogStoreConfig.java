package io.kontroler.logstore;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where task logs go. Every setting has a default ({@link #defaults(Path)}); in brackets, its key
 * in flat configuration ({@link #fromFlat}):
 *
 * <ul>
 *   <li>{@code kind} [{@code logs.store}: local | s3]: local — a folder, {@code <dataDir>/logs}.
 *   <li>{@code dataDir}: the data directory; the S3 store spools logs in {@code
 *       <dataDir>/logs-spool} until they are uploaded.
 *   <li>{@code bucket} [{@code logs.s3.bucket}]: {@code kontroler-logs}; objects are {@code
 *       runs/<run>/<task>/<attempt>.log}.
 *   <li>{@code endpoint} [{@code logs.s3.endpoint}]: none — AWS S3 itself; set it for MinIO, Ceph,
 *       s3proxy and the like.
 *   <li>{@code region} [{@code logs.s3.region}]: {@code us-east-1}.
 *   <li>{@code pathStyle} [{@code logs.s3.path.style}]: false — virtual-host addressing; most
 *       S3-compatible stores want true.
 *   <li>{@code accessKeyId} / {@code secretAccessKey} [{@code logs.s3.access.key.id} / {@code
 *       logs.s3.secret.access.key}]: none — the default AWS credential chain (environment, profile,
 *       web identity/IRSA, instance role).
 *   <li>{@code multipartThreshold} [{@code logs.s3.multipart.threshold.bytes}]: 16 MiB — larger
 *       logs upload in parts.
 *   <li>{@code partSize} [{@code logs.s3.part.size.bytes}]: 8 MiB (at least 5 MiB, the S3 minimum).
 *   <li>{@code retryInitialBackoff} / {@code retryMaxBackoff} [{@code logs.s3.retry.initial.ms} /
 *       {@code logs.s3.retry.max.ms}]: 1 s / 60 s — a failed upload is retried with doubling
 *       delays, forever; the log stays in the spool until it succeeds.
 *   <li>{@code requestTimeout} [{@code logs.s3.request.timeout.ms}]: 60 s — one S3 call, all its
 *       SDK retries included.
 *   <li>{@code liveUploadInterval} [{@code logs.s3.live.upload.ms}]: 10 s — while an attempt runs,
 *       its log so far is copied this often to {@code <attempt>.log.partial}, so that readers in
 *       other processes can follow it; zero turns it off. Logs past {@code multipartThreshold} are
 *       not copied until they end.
 * </ul>
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
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(retryInitialBackoff, "retryInitialBackoff");
    Objects.requireNonNull(retryMaxBackoff, "retryMaxBackoff");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(liveUploadInterval, "liveUploadInterval");
    if (kind == Kind.S3 && (bucket == null || bucket.isBlank())) {
      throw new IllegalArgumentException("Expected an S3 bucket name, but it is empty");
    }
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "Expected partSize >= " + MIN_PART_SIZE + " bytes, but got " + partSize);
    }
    if (multipartThreshold < partSize) {
      throw new IllegalArgumentException(
          "Expected multipartThreshold >= partSize ("
              + partSize
              + "), but got "
              + multipartThreshold);
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException(
          "Expected both accessKeyId and secretAccessKey, or neither (default credential chain)");
    }
    region = region == null || region.isBlank() ? "us-east-1" : region;
  }

  /** A local folder under {@code dataDir}, with the S3 settings at their defaults. */
  public static LogStoreConfig defaults(Path dataDir) {
    return new LogStoreConfig(
        Kind.LOCAL,
        dataDir,
        "kontroler-logs",
        null,
        "us-east-1",
        false,
        null,
        null,
        16L * 1024 * 1024,
        8L * 1024 * 1024,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        Duration.ofSeconds(10));
  }

  /** Reads the {@code logs.*} keys listed on this type; absent keys take their defaults. */
  public static LogStoreConfig fromFlat(Map<String, String> c, Path dataDir) {
    LogStoreConfig d = defaults(dataDir);
    String endpoint = c.get("logs.s3.endpoint");
    return new LogStoreConfig(
        Kind.valueOf(c.getOrDefault("logs.store", "local").trim().toUpperCase(Locale.ROOT)),
        dataDir,
        c.getOrDefault("logs.s3.bucket", d.bucket()),
        endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
        c.getOrDefault("logs.s3.region", d.region()),
        Boolean.parseBoolean(c.getOrDefault("logs.s3.path.style", "false")),
        c.get("logs.s3.access.key.id"),
        c.get("logs.s3.secret.access.key"),
        Long.parseLong(
            c.getOrDefault("logs.s3.multipart.threshold.bytes", "" + d.multipartThreshold())),
        Long.parseLong(c.getOrDefault("logs.s3.part.size.bytes", "" + d.partSize())),
        millis(c, "logs.s3.retry.initial.ms", d.retryInitialBackoff()),
        millis(c, "logs.s3.retry.max.ms", d.retryMaxBackoff()),
        millis(c, "logs.s3.request.timeout.ms", d.requestTimeout()),
        millis(c, "logs.s3.live.upload.ms", d.liveUploadInterval()));
  }

  private static Duration millis(Map<String, String> c, String key, Duration otherwise) {
    String value = c.get(key);
    return value == null ? otherwise : Duration.ofMillis(Long.parseLong(value.trim()));
  }

  /** S3 in {@code bucket}; {@code endpoint} null for AWS itself. */
  public LogStoreConfig withS3(String bucket, URI endpoint, String region, boolean pathStyle) {
    return new LogStoreConfig(
        Kind.S3,
        dataDir,
        bucket,
        endpoint,
        region,
        pathStyle,
        accessKeyId,
        secretAccessKey,
        multipartThreshold,
        partSize,
        retryInitialBackoff,
        retryMaxBackoff,
        requestTimeout,
        liveUploadInterval);
  }

  /** Static credentials instead of the default chain. */
  public LogStoreConfig withCredentials(String accessKeyId, String secretAccessKey) {
    return new LogStoreConfig(
        kind,
        dataDir,
        bucket,
        endpoint,
        region,
        pathStyle,
        accessKeyId,
        secretAccessKey,
        multipartThreshold,
        partSize,
        retryInitialBackoff,
        retryMaxBackoff,
        requestTimeout,
        liveUploadInterval);
  }

  public LogStoreConfig withMultipart(long threshold, long partSize) {
    return new LogStoreConfig(
        kind,
        dataDir,
        bucket,
        endpoint,
        region,
        pathStyle,
        accessKeyId,
        secretAccessKey,
        threshold,
        partSize,
        retryInitialBackoff,
        retryMaxBackoff,
        requestTimeout,
        liveUploadInterval);
  }

  public LogStoreConfig withRetry(Duration initialBackoff, Duration maxBackoff, Duration timeout) {
    return new LogStoreConfig(
        kind,
        dataDir,
        bucket,
        endpoint,
        region,
        pathStyle,
        accessKeyId,
        secretAccessKey,
        multipartThreshold,
        partSize,
        initialBackoff,
        maxBackoff,
        timeout,
        liveUploadInterval);
  }

  /** How often the log of a running attempt is copied for readers elsewhere; zero: never. */
  public LogStoreConfig withLiveUploadInterval(Duration interval) {
    return new LogStoreConfig(
        kind,
        dataDir,
        bucket,
        endpoint,
        region,
        pathStyle,
        accessKeyId,
        secretAccessKey,
        multipartThreshold,
        partSize,
        retryInitialBackoff,
        retryMaxBackoff,
        requestTimeout,
        interval);
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
    return "LogStoreConfig[kind="
        + kind
        + ", dataDir="
        + dataDir
        + ", bucket="
        + bucket
        + ", endpoint="
        + endpoint
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", credentials="
        + (accessKeyId == null ? "default chain" : "static " + accessKeyId + "/****")
        + ", multipartThreshold="
        + multipartThreshold
        + ", partSize="
        + partSize
        + ", retry="
        + retryInitialBackoff
        + ".."
        + retryMaxBackoff
        + ", requestTimeout="
        + requestTimeout
        + ", liveUploadInterval="
        + liveUploadInterval
        + "]";
  }
}

package io.kontroler.logstore;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Logs in S3 (or any S3-compatible store) as {@code runs/<run>/<task>/<attempt>.log}. While an
 * attempt runs, its log is written to a local spool, where readers of this process follow it live,
 * and copied every {@code liveUploadInterval} to {@code <attempt>.log.partial} for readers
 * elsewhere; when the attempt finishes the log is uploaded (in parts when large). An upload that
 * fails is retried with doubling delays, and the spooled log is deleted only once the upload
 * succeeded; a store that restarts uploads whatever its spool still holds.
 */
public final class S3LogStore implements LogStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3LogStore.class);
  private static final String PARTIAL = ".partial";
  private static final int DELETE_BATCH = 1000;

  private final S3Client client;
  private final LogStoreConfig config;
  private final Path spool;
  private final boolean writes;
  private final S3Uploads uploads;
  private final ScheduledExecutorService uploader;
  private final RetryPolicy<Object> retries;
  private final Set<LogKey> pending = ConcurrentHashMap.newKeySet();
  private final Map<LogKey, LogWriter> live = new ConcurrentHashMap<>();
  private final Map<LogKey, Long> copiedLive = new ConcurrentHashMap<>();

  /**
   * A store that writes and uploads through {@code client} (closed with the store), spooling in
   * {@code config.spoolRoot()}: the executor's.
   */
  public S3LogStore(S3Client client, LogStoreConfig config) {
    this(client, config, true);
  }

  private S3LogStore(S3Client client, LogStoreConfig config, boolean writes) {
    this.client = client;
    this.config = config;
    this.retries = retries(config);
    this.spool = config.spoolRoot().toAbsolutePath();
    this.writes = writes;
    this.uploads =
        new S3Uploads(client, config.bucket(), config.multipartThreshold(), config.partSize());
    this.uploader =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kontroler-log-upload");
              t.setDaemon(true);
              return t;
            });
    if (writes) {
      resumeUploads();
      long every = config.liveUploadInterval().toMillis();
      if (every > 0) {
        uploader.scheduleWithFixedDelay(this::copyLive, every, every, TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * A store that only reads (the api's): it never uploads, so it leaves the spool to the writer;
   * logs still spooled on this host are read from the spool.
   */
  public static S3LogStore reader(S3Client client, LogStoreConfig config) {
    return new S3LogStore(client, config, false);
  }

  private void resumeUploads() {
    try {
      Files.createDirectories(spool);
      for (LogKey key : LocalFiles.completeLogs(spool)) {
        LOG.info("Uploading {} left in the spool by an earlier run", key.path());
        schedule(key, Execution.of(retries), Duration.ZERO);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the log spool " + spool, e);
    }
  }

  @Override
  public LogWriter open(LogKey key) throws IOException {
    if (!writes) {
      throw new UnsupportedOperationException("Expected a writing store, but this one only reads");
    }
    LogWriter writer =
        new FileLogWriter(
            spool.resolve(key.path()),
            () -> {
              live.remove(key);
              schedule(key, Execution.of(retries), Duration.ZERO);
            });
    live.put(key, writer);
    return writer;
  }

  /** Logs finished but not uploaded yet. */
  public int pendingUploads() {
    return pending.size();
  }

  private void schedule(LogKey key, Execution<Object> attempts, Duration delay) {
    pending.add(key);
    uploader.schedule(() -> upload(key, attempts), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void upload(LogKey key, Execution<Object> attempts) {
    Path file = spool.resolve(key.path());
    if (!LocalFiles.isComplete(file)) {
      pending.remove(key); // reopened meanwhile: its new writer schedules the upload
      return;
    }
    try {
      uploads.put(key.path(), file);
      Files.deleteIfExists(LocalFiles.marker(file));
      Files.deleteIfExists(file);
      pending.remove(key);
      LOG.debug("Uploaded {} to s3://{}", key.path(), config.bucket());
    } catch (SdkException | IOException | UncheckedIOException e) {
      attempts.recordException(e);
      Duration delay = attempts.getDelay();
      LOG.warn(
          "Upload of {} to s3://{} failed ({} times), retrying in {}: {}",
          key.path(),
          config.bucket(),
          attempts.getAttemptCount(),
          delay,
          e.getMessage());
      if (!uploader.isShutdown()) {
        schedule(key, attempts, delay);
      }
      return;
    }
    if (copiedLive.remove(key) != null) {
      deleteQuietly(key.path() + PARTIAL);
    }
  }

  /** Copies the logs of running attempts that grew, for readers in other processes. */
  private void copyLive() {
    for (Map.Entry<LogKey, LogWriter> entry : live.entrySet()) {
      LogKey key = entry.getKey();
      long size = entry.getValue().size();
      if (size == 0
          || size > config.multipartThreshold()
          || copiedLive.getOrDefault(key, -1L) == size) {
        continue;
      }
      try (InputStream in = Files.newInputStream(spool.resolve(key.path()))) {
        byte[] bytes = in.readNBytes((int) size);
        client.putObject(
            b -> b.bucket(config.bucket()).key(key.path() + PARTIAL), RequestBody.fromBytes(bytes));
        copiedLive.put(key, size);
      } catch (SdkException | IOException e) {
        LOG.debug("Could not copy the live log of {}: {}", key.path(), e.getMessage());
      }
    }
  }

  /**
   * Uploads are retried forever: the first retry after {@code retryInitialBackoff}, each next one
   * after twice the wait, at most {@code retryMaxBackoff}.
   */
  private static RetryPolicy<Object> retries(LogStoreConfig config) {
    Duration initial = config.retryInitialBackoff();
    Duration max = config.retryMaxBackoff();
    RetryPolicyBuilder<Object> policy = RetryPolicy.builder().withMaxAttempts(-1);
    if (initial.compareTo(max) >= 0) {
      policy.withDelay(max);
    } else if (!initial.isNegative() && !initial.isZero()) {
      policy.withBackoff(initial, max);
    }
    return policy.build();
  }

  @Override
  public LogChunk read(LogKey key, long offset, int maxBytes) throws IOException {
    LogChunk local = LocalFiles.read(spool.resolve(key.path()), offset, maxBytes);
    if (local.found()) {
      return local;
    }
    LogChunk done = readObject(key.path(), offset, maxBytes, true);
    return done.found() ? done : readObject(key.path() + PARTIAL, offset, maxBytes, false);
  }

  private LogChunk readObject(String objectKey, long offset, int maxBytes, boolean complete) {
    GetObjectRequest request =
        GetObjectRequest.builder()
            .bucket(config.bucket())
            .key(objectKey)
            .range("bytes=" + offset + "-" + (offset + Math.max(1, maxBytes) - 1))
            .build();
    try {
      ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(request);
      byte[] data = maxBytes == 0 ? new byte[0] : bytes.asByteArray();
      return new LogChunk(data, offset, offset + data.length, complete, true);
    } catch (NoSuchKeyException e) {
      return LogChunk.notFound(offset);
    } catch (S3Exception e) {
      if (e.statusCode() == 416) { // the range starts at or past the end
        return new LogChunk(new byte[0], offset, offset, complete, true);
      }
      throw e;
    }
  }

  @Override
  public List<LogKey> attempts(String runId) throws IOException {
    Set<LogKey> keys = new TreeSet<>(LocalFiles.order());
    keys.addAll(LocalFiles.attempts(spool, runId));
    for (S3Object object : objects(runId)) {
      String name = object.key();
      LogKey key =
          LogKey.parse(
              name.endsWith(PARTIAL) ? name.substring(0, name.length() - PARTIAL.length()) : name);
      if (key != null) {
        keys.add(key);
      }
    }
    return new ArrayList<>(keys);
  }

  /**
   * Deletes the run's spooled logs and its objects (complete and live copies), up to {@value
   * #DELETE_BATCH} objects a request: history retention deletes runs by the hundred.
   */
  @Override
  public void deleteRun(String runId) throws IOException {
    LocalFiles.deleteTree(spool.resolve(LogKey.runPrefix(runId)));
    List<S3Object> objects = objects(runId);
    for (int from = 0; from < objects.size(); from += DELETE_BATCH) {
      List<ObjectIdentifier> keys =
          objects.subList(from, Math.min(objects.size(), from + DELETE_BATCH)).stream()
              .map(o -> ObjectIdentifier.builder().key(o.key()).build())
              .toList();
      DeleteObjectsResponse response =
          client.deleteObjects(
              b -> b.bucket(config.bucket()).delete(d -> d.objects(keys).quiet(true)));
      if (response.hasErrors() && !response.errors().isEmpty()) {
        S3Error first = response.errors().get(0);
        throw new IOException(
            "Expected the logs of run "
                + runId
                + " deleted from s3://"
                + config.bucket()
                + ", but "
                + response.errors().size()
                + " were not, e.g. "
                + first.key()
                + ": "
                + first.code()
                + " "
                + first.message());
      }
    }
  }

  private void deleteQuietly(String objectKey) {
    try {
      client.deleteObject(b -> b.bucket(config.bucket()).key(objectKey));
    } catch (SdkException e) {
      LOG.debug("Could not delete {}: {}", objectKey, e.getMessage());
    }
  }

  private List<S3Object> objects(String runId) {
    ListObjectsV2Request request =
        ListObjectsV2Request.builder()
            .bucket(config.bucket())
            .prefix(LogKey.runPrefix(runId))
            .build();
    List<S3Object> objects = new ArrayList<>();
    client.listObjectsV2Paginator(request).contents().forEach(objects::add);
    return objects;
  }

  /** Stops uploading; logs not uploaded yet stay in the spool for the next start. */
  @Override
  public void close() {
    uploader.shutdownNow();
    try {
      uploader.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!pending.isEmpty()) {
      LOG.warn("{} logs not uploaded yet stay in the spool {}", pending.size(), spool);
    }
    client.close();
  }

  @Override
  public String toString() {
    return "S3LogStore[s3://" + config.bucket() + ", spool " + spool + "]";
  }
}

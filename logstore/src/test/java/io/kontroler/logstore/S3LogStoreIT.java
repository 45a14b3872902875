package io.kontroler.logstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

class S3LogStoreIT {
  private static final String ACCESS_KEY = "kontroler";
  private static final String SECRET_KEY = "kontroler-secret";
  private static final String BUCKET = "logs";

  @TempDir Path dataDir;
  @TempDir Path elsewhereDir;

  private final BlobStore blobs = new TransientNio2BlobStore();
  private final AtomicInteger partsUploaded = new AtomicInteger();
  private int port;
  private S3Proxy proxy;
  private S3LogStore store;
  private S3Client reader;
  private LogStoreConfig config;

  @BeforeEach
  void startS3() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    startProxy();
    LogStoreConfig config =
        s3(port)
            .with(
                Map.of(
                    "logs.s3.multipart.threshold.bytes", "" + LogStoreConfig.MIN_PART_SIZE,
                    "logs.s3.part.size.bytes", "" + LogStoreConfig.MIN_PART_SIZE,
                    "logs.s3.retry.initial.ms", "100",
                    "logs.s3.retry.max.ms", "400",
                    "logs.s3.request.timeout.ms", "5000",
                    "logs.s3.live.upload.ms", "100"));
    this.config = config;
    reader = S3Clients.build(config);
    reader.createBucket(b -> b.bucket(BUCKET));
    S3Client counting =
        S3Clients.builder(config)
            .overrideConfiguration(
                o ->
                    o.apiCallTimeout(Duration.ofSeconds(5))
                        .addExecutionInterceptor(new PartCounter(partsUploaded)))
            .build();
    store = new S3LogStore(counting, config);
  }

  @AfterEach
  void stopS3() throws Exception {
    store.close();
    reader.close();
    if (proxy != null) {
      proxy.stop();
    }
  }

  @Test
  void uploadsAFinishedLogAndServesItFromS3() throws Exception {
    LogKey key = new LogKey("run-1", "build", 1);
    try (LogWriter writer = store.open(key)) {
      writer.line("compiling");
      writer.line("done");
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> store.pendingUploads() == 0);
    String object = reader.getObjectAsBytes(b -> b.bucket(BUCKET).key(key.path())).asUtf8String();
    assertThat(object).isEqualTo("compiling\ndone\n");
    assertThat(dataDir.resolve("logs-spool").resolve(key.path())).doesNotExist();
    LogChunk range = store.read(key, 3, 6);
    assertThat(range.text()).isEqualTo("piling");
    assertThat(range.complete()).isTrue();
    assertThat(store.read(key, 1000, 10).atEnd()).isTrue();
    assertThat(store.attempts("run-1")).containsExactly(key);
    assertThat(partsUploaded).hasValue(0);
  }

  @Test
  void uploadsALargeLogInParts() throws Exception {
    LogKey key = new LogKey("run-2", "big", 1);
    byte[] line =
        "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrs\n"
            .getBytes(StandardCharsets.UTF_8);
    long size = 0;
    try (LogWriter writer = store.open(key)) {
      while (size < 12L * 1024 * 1024) {
        writer.write(line, 0, line.length);
        size += line.length;
      }
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> store.pendingUploads() == 0);
    byte[] object = reader.getObjectAsBytes(b -> b.bucket(BUCKET).key(key.path())).asByteArray();
    assertThat((long) object.length).isEqualTo(size);
    assertThat(Arrays.copyOfRange(object, object.length - line.length, object.length))
        .isEqualTo(line);
    assertThat(partsUploaded).hasValue(3);
  }

  @Test
  void keepsTheLogWhileS3IsDownAndUploadsItWhenItIsBack() throws Exception {
    proxy.stop();
    LogKey key = new LogKey("run-3", "flaky", 1);
    try (LogWriter writer = store.open(key)) {
      writer.line("must not be lost");
    }
    Path spooled = dataDir.resolve("logs-spool").resolve(key.path());
    await()
        .atMost(Duration.ofSeconds(10))
        .during(Duration.ofMillis(600))
        .until(() -> store.pendingUploads() == 1 && Files.exists(spooled));
    assertThat(store.read(key, 0, 100).text()).isEqualTo("must not be lost\n");

    startProxy();
    await().atMost(Duration.ofSeconds(15)).until(() -> store.pendingUploads() == 0);
    assertThat(reader.getObjectAsBytes(b -> b.bucket(BUCKET).key(key.path())).asUtf8String())
        .isEqualTo("must not be lost\n");
    assertThat(spooled).doesNotExist();
  }

  @Test
  void aRestartedStoreUploadsWhatItsSpoolStillHolds() throws Exception {
    proxy.stop();
    LogKey key = new LogKey("run-4", "left", 1);
    try (LogWriter writer = store.open(key)) {
      writer.line("from before the restart");
    }
    store.close();

    startProxy();
    LogStoreConfig config = s3(port);
    store = new S3LogStore(S3Clients.build(config), config);
    await().atMost(Duration.ofSeconds(10)).until(() -> store.pendingUploads() == 0);
    assertThat(reader.getObjectAsBytes(b -> b.bucket(BUCKET).key(key.path())).asUtf8String())
        .isEqualTo("from before the restart\n");
  }

  @Test
  void deletesEveryLogOfARun() throws Exception {
    LogKey first = new LogKey("run-5", "a", 1);
    LogKey second = new LogKey("run-5", "b", 1);
    store.open(first).close();
    store.open(second).close();
    await().atMost(Duration.ofSeconds(10)).until(() -> store.pendingUploads() == 0);
    assertThat(store.attempts("run-5")).containsExactly(first, second);

    LogKey other = new LogKey("run-50", "a", 1);
    store.open(other).close();
    await().atMost(Duration.ofSeconds(10)).until(() -> store.pendingUploads() == 0);
    // a live copy left by an attempt whose writer died before it finished
    reader.putObject(
        b -> b.bucket(BUCKET).key("runs/run-5/c/1.log.partial"),
        software.amazon.awssdk.core.sync.RequestBody.fromString("partial"));

    store.deleteRun("run-5");
    assertThat(store.attempts("run-5")).isEmpty();
    assertThat(store.read(first, 0, 10).found()).isFalse();
    assertThat(reader.listObjectsV2(b -> b.bucket(BUCKET).prefix("runs/run-5/")).contents())
        .isEmpty();
    assertThat(store.attempts("run-50")).containsExactly(other);
    store.deleteRun("run-5"); // nothing left: no error
  }

  @Test
  void aReaderInAnotherProcessFollowsARunningAttemptThenReadsTheUpload() throws Exception {
    LogStoreConfig elsewhere =
        new LogStoreConfig(
            config.kind(),
            elsewhereDir,
            config.bucket(),
            config.endpoint(),
            config.region(),
            config.pathStyle(),
            config.accessKeyId(),
            config.secretAccessKey(),
            config.multipartThreshold(),
            config.partSize(),
            config.retryInitialBackoff(),
            config.retryMaxBackoff(),
            config.requestTimeout(),
            config.liveUploadInterval());
    LogKey key = new LogKey("run-6", "live", 1);
    try (LogStore api = LogStores.openReader(elsewhere)) {
      LogWriter writer = store.open(key);
      writer.line("first");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> api.read(key, 0, 100).text().equals("first\n"));
      assertThat(api.read(key, 0, 100).complete()).isFalse();
      assertThat(api.attempts("run-6")).containsExactly(key);

      writer.line("second");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> api.read(key, 6, 100).text().equals("second\n"));
      writer.close();

      await().atMost(Duration.ofSeconds(10)).until(() -> api.read(key, 0, 100).complete());
      assertThat(api.read(key, 0, 100).text()).isEqualTo("first\nsecond\n");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  reader
                      .listObjectsV2(b -> b.bucket(BUCKET).prefix("runs/run-6/"))
                      .contents()
                      .stream()
                      .map(o -> o.key())
                      .toList()
                      .equals(java.util.List.of(key.path())));
      assertThatThrownBy(() -> api.open(key)).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  private void startProxy() throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(blobs)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> "STARTED".equals(proxy.getState()));
  }

  /** Counts the parts of multipart uploads. */
  private static final class PartCounter implements ExecutionInterceptor {
    private final AtomicInteger parts;

    PartCounter(AtomicInteger parts) {
      this.parts = parts;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof UploadPartRequest) {
        parts.incrementAndGet();
      }
    }
  }

  private LogStoreConfig s3(int port) {
    return LogStoreConfig.fromFlat(
        Map.of(
            "logs.store",
            "s3",
            "logs.s3.bucket",
            BUCKET,
            "logs.s3.endpoint",
            "http://127.0.0.1:" + port,
            "logs.s3.region",
            "us-east-1",
            "logs.s3.path.style",
            "true",
            "logs.s3.access.key.id",
            ACCESS_KEY,
            "logs.s3.secret.access.key",
            SECRET_KEY),
        dataDir);
  }
}

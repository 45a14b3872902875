package io.kontroler.logstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogStoreConfigTest {
  private final Path data = Path.of("data");

  @Test
  void defaultsToALocalFolderInTheDataDir() {
    LogStoreConfig config = LogStoreConfig.fromFlat(Map.of(), data);
    assertThat(config).isEqualTo(LogStoreConfig.defaults(data));
    assertThat(config.kind()).isEqualTo(LogStoreConfig.Kind.LOCAL);
    assertThat(config.localRoot()).isEqualTo(data.resolve("logs"));
    assertThat(config.accessKeyId()).isNull();
    assertThat(config.liveUploadInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void readsEveryS3KeyFromFlatConfiguration() {
    LogStoreConfig config =
        LogStoreConfig.fromFlat(
            Map.ofEntries(
                Map.entry("logs.store", "s3"),
                Map.entry("logs.s3.bucket", "my-logs"),
                Map.entry("logs.s3.endpoint", "http://minio:9000"),
                Map.entry("logs.s3.region", "eu-west-1"),
                Map.entry("logs.s3.path.style", "true"),
                Map.entry("logs.s3.access.key.id", "AKIA"),
                Map.entry("logs.s3.secret.access.key", "very-secret"),
                Map.entry("logs.s3.multipart.threshold.bytes", "10485760"),
                Map.entry("logs.s3.part.size.bytes", "5242880"),
                Map.entry("logs.s3.retry.initial.ms", "200"),
                Map.entry("logs.s3.retry.max.ms", "3000"),
                Map.entry("logs.s3.request.timeout.ms", "9000"),
                Map.entry("logs.s3.live.upload.ms", "0")),
            data);
    assertThat(config.kind()).isEqualTo(LogStoreConfig.Kind.S3);
    assertThat(config.bucket()).isEqualTo("my-logs");
    assertThat(config.endpoint()).isEqualTo(URI.create("http://minio:9000"));
    assertThat(config.region()).isEqualTo("eu-west-1");
    assertThat(config.pathStyle()).isTrue();
    assertThat(config.secretAccessKey()).isEqualTo("very-secret");
    assertThat(config.multipartThreshold()).isEqualTo(10485760L);
    assertThat(config.partSize()).isEqualTo(5242880L);
    assertThat(config.retryInitialBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(config.liveUploadInterval()).isZero();
    assertThat(config.toString()).contains("AKIA").doesNotContain("very-secret");
  }

  @Test
  void rejectsSettingsS3WouldRefuse() {
    LogStoreConfig d = LogStoreConfig.defaults(data);
    assertThatThrownBy(
            () ->
                d.with(
                    Map.of(
                        "logs.s3.multipart.threshold.bytes", "10000000",
                        "logs.s3.part.size.bytes", "1024")))
        .hasMessageContaining("logs.s3.part.size.bytes");
    assertThatThrownBy(() -> d.with(Map.of("logs.s3.access.key.id", "only-the-id")))
        .hasMessageContaining("both");
    assertThatThrownBy(() -> d.with(Map.of("logs.store", "s3", "logs.s3.bucket", " ")))
        .hasMessageContaining("logs.s3.bucket");
    assertThatThrownBy(() -> d.with(Map.of("logs.s3.retry.max.ms", "soon")))
        .hasMessage(
            "Invalid configuration: logs.s3.retry.max.ms: Expected milliseconds, but got 'soon'");
  }
}

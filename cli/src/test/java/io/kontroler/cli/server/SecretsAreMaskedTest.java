package io.kontroler.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.ApiConfig;
import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.executor.ExecutorConfig;
import io.kontroler.ingest.IngestConfig;
import io.kontroler.scheduler.SchedulerConfig;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Wherever a configuration is shown (its {@code toString}, which the components log at start, and
 * that of every part of it), no secret appears: each secret key of every component's table, the
 * pass-through Kafka and Streams properties named like secrets, and passwords in JDBC URLs.
 */
class SecretsAreMaskedTest {

  @Test
  void noComponentShowsASecret() {
    Map<String, Function<Map<String, String>, Object>> components =
        Map.of(
            "scheduler", SchedulerConfig::fromFlat,
            "executor", ExecutorConfig::fromFlat,
            "ingest", IngestConfig::fromFlat,
            "api", ApiConfig::fromFlat);
    components.forEach(
        (command, read) -> {
          Map<String, String> flat = new HashMap<>();
          List<String> secrets = new ArrayList<>();
          for (ConfigTable<?> table : ComponentKeys.TABLES.get(command)) {
            for (ConfigKey<?, ?> key : table.keys()) {
              if (key.secret()) {
                flat.put(key.name(), "sentinel-" + key.name());
                secrets.add("sentinel-" + key.name());
              }
            }
          }
          flat.put("kafka.sasl.jaas.config", "PlainLoginModule password=sentinel-jaas");
          flat.put("kafka.ssl.keystore.password", "sentinel-keystore");
          flat.put("streams.producer.ssl.key.password", "sentinel-streams");
          flat.put("api.db.url", "jdbc:postgresql://db/k?user=k&password=sentinel-url");
          flat.put("ingest.quartz.mode", "jdbc");
          flat.put("ingest.quartz.jdbc-url", "jdbc:postgresql://db/q?password=sentinel-quartz");
          flat.put("logs.s3.access.key.id", "AKIA-visible");
          secrets.addAll(
              List.of(
                  "sentinel-jaas",
                  "sentinel-keystore",
                  "sentinel-streams",
                  "sentinel-url",
                  "sentinel-quartz"));

          Object config = read.apply(flat);
          List<String> shown = new ArrayList<>();
          showAll(config, shown);

          assertThat(secrets).as(command).hasSizeGreaterThanOrEqualTo(5);
          assertThat(shown.get(0)).as(command).contains("******");
          for (String text : shown) {
            for (String secret : secrets) {
              assertThat(text).as(command).doesNotContain(secret);
            }
          }
        });
  }

  /** The {@code toString} of {@code value} and of every record in it, as logs would show them. */
  private static void showAll(Object value, List<String> shown) {
    RecordComponent[] parts = value == null ? null : value.getClass().getRecordComponents();
    if (parts == null) {
      return;
    }
    shown.add(value.toString());
    for (RecordComponent part : parts) {
      try {
        showAll(part.getAccessor().invoke(value), shown);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
  }
}

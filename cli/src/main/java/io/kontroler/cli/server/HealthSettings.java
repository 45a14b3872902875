package io.kontroler.cli.server;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.INT;
import static io.kontroler.core.config.ValueType.TRIMMED;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import java.util.Map;

/**
 * Where the health endpoint of the scheduler, an executor or the ingest listens.
 *
 * @param host a name or address; 0.0.0.0 for every interface, as in a pod
 * @param port 0 picks a free port, a negative one starts none
 */
public record HealthSettings(String host, int port) {

  public static final ConfigKey<HealthSettings, String> HOST =
      key("health.host", TRIMMED, "127.0.0.1")
          .readFrom(HealthSettings::host)
          .doc(
              "Interface of the health endpoint: this machine only; 0.0.0.0 for every interface (the chart sets it).");
  public static final ConfigKey<HealthSettings, Integer> PORT =
      key("health.port", INT, "8081")
          .readFrom(HealthSettings::port)
          .doc(
              "Port of GET /health (and of GET /metrics on a scheduler or an executor); 0 picks a free port, -1 none.");

  public static final ConfigTable<HealthSettings> TABLE = ConfigTable.of(HOST, PORT);

  /** Reads the keys of {@link #TABLE}; absent keys take their defaults. */
  public static HealthSettings fromFlat(Map<String, String> flat) {
    var v = TABLE.require(flat);
    return new HealthSettings(v.get(HOST), v.get(PORT));
  }
}

package io.kontroler.cli.server;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ValueType;
import java.util.Map;

/**
 * Where the health endpoint of the scheduler, an executor or the ingest listens.
 *
 * @param host a name or address; 0.0.0.0 for every interface, as in a pod
 * @param port 0 picks a free port, a negative one starts none
 */
public record HealthSettings(String host, int port) {

  public static final ConfigKey<HealthSettings, String> HOST =
      ConfigKey.key(
          "health.host",
          ValueType.of("text", String::trim, h -> h),
          "127.0.0.1",
          "Interface of the health endpoint: this machine only; 0.0.0.0 for every interface (the"
              + " chart sets it).",
          HealthSettings::host);
  public static final ConfigKey<HealthSettings, Integer> PORT =
      ConfigKey.key(
          "health.port",
          ValueType.INT,
          "8081",
          "Port of GET /health; 0 picks a free port, -1 none.",
          HealthSettings::port);

  public static final ConfigTable<HealthSettings> TABLE = ConfigTable.of(HOST, PORT);

  /** Reads the keys of {@link #TABLE}; absent keys take their defaults. */
  public static HealthSettings fromFlat(Map<String, String> flat) {
    var v = TABLE.require(flat);
    return new HealthSettings(v.get(HOST), v.get(PORT));
  }
}

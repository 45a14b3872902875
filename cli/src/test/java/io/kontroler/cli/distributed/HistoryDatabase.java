package io.kontroler.cli.distributed;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The api's PostgreSQL (embedded, zonky): stopped and started again on the same data and port, as a
 * database restart or failover looks to its clients.
 */
final class HistoryDatabase implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres server;

  private HistoryDatabase(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  static HistoryDatabase start(Path dataDir) {
    HistoryDatabase db = new HistoryDatabase(dataDir, KafkaCluster.freePorts(1).get(0));
    db.startServer();
    return db;
  }

  /** JDBC URL of the {@code postgres} database, user {@code postgres}, no password. */
  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  synchronized boolean isRunning() {
    return server != null;
  }

  /** Stops the server ({@code pg_ctl stop -m fast}): every connection is closed. */
  synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop PostgreSQL", e);
    } finally {
      server = null;
    }
  }

  /** Starts the server if it is stopped, on the same data directory and port. */
  synchronized void startServer() {
    if (server != null) {
      return;
    }
    try {
      server =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("full_page_writes", "off")
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start PostgreSQL on " + dataDir, e);
    }
  }

  @Override
  public void close() {
    stop();
  }
}

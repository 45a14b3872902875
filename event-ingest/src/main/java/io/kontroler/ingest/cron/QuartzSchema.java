package io.kontroler.ingest.cron;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Quartz's tables on PostgreSQL when they are absent (Quartz's own {@code
 * tables_postgres.sql}, shipped with the ingest). Nodes that start together take turns under a
 * transaction-scoped advisory lock, so the tables are created once.
 */
public final class QuartzSchema {
  static final String SCRIPT = "quartz_tables_postgres.sql";
  private static final long LOCK_ID = 0x6b6f6e74726f6cL; // "kontrol"
  private static final Logger LOG = LoggerFactory.getLogger(QuartzSchema.class);

  private QuartzSchema() {}

  /** Creates the tables unless they exist; returns whether it created them. */
  public static boolean migrate(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")");
        if (exists(statement)) {
          connection.commit();
          return false;
        }
        for (String sql : statements()) {
          statement.execute(sql);
        }
        connection.commit();
        LOG.info("Created the Quartz tables");
        return true;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Expected to create the Quartz tables, but " + e, e);
    }
  }

  private static boolean exists(Statement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery("SELECT to_regclass('qrtz_locks') IS NOT NULL")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  static List<String> statements() {
    String script;
    try (InputStream in = QuartzSchema.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException("Expected the resource " + SCRIPT + " on the class path");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Expected to read " + SCRIPT + ", but " + e, e);
    }
    StringBuilder cleaned = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.trim().startsWith("--")) {
        cleaned.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String sql : cleaned.toString().split(";")) {
      if (!sql.isBlank()) {
        statements.add(sql.trim());
      }
    }
    return statements;
  }
}

package io.kontroler.api.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history database: SQLite (one file, one connection) or PostgreSQL (a small pool). The schema
 * is migrated with Flyway on open; the same migrations and statements serve both.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final int POSTGRES_POOL = 6;

  /** Work done with a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  private final BlockingQueue<Connection> pool;
  private final List<Connection> all = new ArrayList<>();
  private final boolean sqlite;

  private Database(List<Connection> connections, boolean sqlite) {
    this.pool = new ArrayBlockingQueue<>(connections.size(), false, connections);
    this.all.addAll(connections);
    this.sqlite = sqlite;
  }

  /** Migrates the schema at {@code url} and opens connections to it. */
  public static Database open(String url, String user, String password) {
    boolean sqlite = url.startsWith("jdbc:sqlite:");
    if (!sqlite && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "Expected a jdbc:sqlite: or jdbc:postgresql: URL, but got " + url.split("\\?")[0]);
    }
    Flyway.configure()
        .dataSource(url, user, password)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    List<Connection> connections = new ArrayList<>();
    try {
      int size = sqlite ? 1 : POSTGRES_POOL;
      for (int i = 0; i < size; i++) {
        connections.add(connect(url, user, password, sqlite));
      }
    } catch (SQLException e) {
      connections.forEach(Database::closeQuietly);
      throw new IllegalStateException("Could not connect to the history database: " + e, e);
    }
    LOG.info("History database ready ({})", sqlite ? "SQLite" : "PostgreSQL");
    return new Database(connections, sqlite);
  }

  private static Connection connect(String url, String user, String password, boolean sqlite)
      throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    Connection c = DriverManager.getConnection(url, props);
    if (sqlite) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA busy_timeout=10000");
        s.execute("PRAGMA foreign_keys=ON");
      }
    }
    return c;
  }

  public boolean isSqlite() {
    return sqlite;
  }

  /** Runs {@code work} in auto-commit mode. */
  public <T> T read(Work<T> work) {
    Connection c = take();
    try {
      return work.apply(c);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    } finally {
      pool.add(c);
    }
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back if it throws. */
  public <T> T transaction(Work<T> work) {
    Connection c = take();
    try {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    } finally {
      pool.add(c);
    }
  }

  private Connection take() {
    try {
      Connection c = pool.poll(30, TimeUnit.SECONDS);
      if (c == null) {
        throw new IllegalStateException("Expected a free database connection within 30s, but none");
      }
      return c;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a database connection", e);
    }
  }

  @Override
  public void close() {
    all.forEach(Database::closeQuietly);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.warn("Closing a database connection failed: {}", e.toString());
    }
  }

  /** A database error; SQLException is checked, the callers cannot do more than report it. */
  public static final class DatabaseException extends RuntimeException {
    public DatabaseException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}

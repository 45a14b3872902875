package io.kontroler.api.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history database: SQLite (one file, one connection) or PostgreSQL, behind a HikariCP pool
 * that validates each connection before lending it and replaces broken ones, so a database restart
 * fails the work in flight and nothing after it. The schema is migrated with Flyway on open; the
 * same migrations and statements serve both databases.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /**
   * How the pool behaves.
   *
   * @param maxSize connections to PostgreSQL at most (SQLite always uses one)
   * @param connectionTimeout how long a caller waits for a connection before the work fails; while
   *     the database is down, this is how long each request and each history batch waits
   */
  public record Pool(int maxSize, Duration connectionTimeout) {
    public static final Pool DEFAULT = new Pool(10, Duration.ofSeconds(5));

    public Pool {
      Objects.requireNonNull(connectionTimeout, "connectionTimeout");
      if (maxSize < 1 || connectionTimeout.toMillis() < 250) {
        throw new IllegalArgumentException(
            "Expected a pool of at least 1 connection and a connection timeout of at least 250"
                + " ms, but got "
                + maxSize
                + " and "
                + connectionTimeout);
      }
    }
  }

  /** Work done with a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  private final HikariDataSource pool;
  private final boolean sqlite;

  private Database(HikariDataSource pool, boolean sqlite) {
    this.pool = pool;
    this.sqlite = sqlite;
  }

  /** Migrates the schema at {@code url} and opens a pool of the default size to it. */
  public static Database open(String url, String user, String password) {
    return open(url, user, password, Pool.DEFAULT);
  }

  /** Migrates the schema at {@code url} and opens a pool to it. */
  public static Database open(String url, String user, String password, Pool settings) {
    boolean sqlite = url.startsWith("jdbc:sqlite:");
    if (!sqlite && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "Expected a jdbc:sqlite: or jdbc:postgresql: URL, but got " + url.split("\\?")[0]);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config(url, user, password, settings, sqlite));
    } catch (HikariPool.PoolInitializationException e) {
      throw new IllegalStateException(
          "Could not connect to the history database: " + e.getMessage(), e);
    }
    try {
      Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    LOG.info("History database ready ({})", sqlite ? "SQLite" : "PostgreSQL");
    return new Database(pool, sqlite);
  }

  private static HikariConfig config(
      String url, String user, String password, Pool settings, boolean sqlite) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("kontroler-history");
    c.setJdbcUrl(url);
    c.setUsername(user);
    c.setPassword(password);
    c.setConnectionTimeout(settings.connectionTimeout().toMillis());
    // a connection is checked (JDBC isValid) before it is lent and every 30 s while idle, so the
    // connections a restarted PostgreSQL closed are dropped instead of failing the next caller
    c.setValidationTimeout(Math.min(1000, settings.connectionTimeout().toMillis() - 1));
    c.setKeepaliveTime(Duration.ofSeconds(30).toMillis());
    if (sqlite) {
      // one writer at a time is all SQLite does; a second connection would only wait for locks
      c.setMaximumPoolSize(1);
      c.addDataSourceProperty("journal_mode", "WAL");
      c.addDataSourceProperty("busy_timeout", "10000");
      c.addDataSourceProperty("foreign_keys", "true");
    } else {
      c.setMaximumPoolSize(settings.maxSize());
      c.setMinimumIdle(Math.min(2, settings.maxSize()));
    }
    return c;
  }

  public boolean isSqlite() {
    return sqlite;
  }

  /** Runs {@code work} in auto-commit mode. */
  public <T> T read(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back if it throws. */
  public <T> T transaction(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      // the pool restores auto-commit when the connection comes back to it
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // the connection is broken (the pool evicts it); the transaction died with it
      cause.addSuppressed(e);
    }
  }

  /** Whether a valid connection is to be had now; waits at most the pool's connection timeout. */
  public boolean reachable() {
    try {
      return read(c -> c.isValid(1));
    } catch (DatabaseException e) {
      return false;
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  /** A database error; SQLException is checked, the callers cannot do more than report it. */
  public static final class DatabaseException extends RuntimeException {
    public DatabaseException(SQLException cause) {
      super(cause.getMessage(), cause);
    }

    /** Whether the database could not be reached (as opposed to refusing a statement). */
    public boolean unavailable() {
      SQLException e = (SQLException) getCause();
      String state = e.getSQLState();
      return e instanceof SQLTransientConnectionException
          || e instanceof SQLNonTransientConnectionException
          || (state != null && (state.startsWith("08") || state.startsWith("57P")));
    }
  }
}

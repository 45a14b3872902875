package io.kontroler.api.history;

import io.kontroler.api.db.Database;
import io.kontroler.api.db.Rows;
import io.kontroler.logstore.LogStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Deletes runs that finished before a cutoff from the history, with everything kept for them: task
 * rows and instances, attempts, webhook deliveries, links to parent and child runs, and their logs
 * in the log store. A run that is not final (Pending, Running), however old, is never deleted.
 *
 * <p>Work goes in batches of at most {@code batchSize} runs, each deleted in one short transaction,
 * so the history projection never waits long for it. A batch deletes its runs' logs first and the
 * rows after: a failure between the two leaves rows whose logs are gone, which the next batch
 * deletes, rather than logs no row leads to any more, which nothing would ever delete.
 */
public final class HistoryPruner {
  private static final String FINAL = "phase IN ('Succeeded', 'Failed', 'Cancelled')";

  /**
   * One batch: {@code selected} runs were found, {@code deleted} of them were deleted (fewer when a
   * run was retried or pruned elsewhere meanwhile).
   */
  public record Batch(int selected, int deleted) {}

  private final Database db;
  private final LogStore logs;
  private final int batchSize;
  private final Counter pruned;

  public HistoryPruner(Database db, LogStore logs, int batchSize, MeterRegistry registry) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("Expected a batch size >= 1, but got " + batchSize);
    }
    this.db = db;
    this.logs = logs;
    this.batchSize = batchSize;
    this.pruned =
        Counter.builder("kontroler.history.pruned.runs")
            .description("Finished runs deleted from the history with their logs")
            .register(registry);
  }

  public int batchSize() {
    return batchSize;
  }

  /**
   * Deletes the oldest at most {@link #batchSize()} final runs that finished before {@code before}.
   */
  public Batch pruneBatch(Instant before) {
    List<String> ids = db.read(c -> candidates(c, before));
    if (ids.isEmpty()) {
      return new Batch(0, 0);
    }
    for (String id : ids) {
      try {
        logs.deleteRun(id);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not delete the logs of run " + id, e);
      }
    }
    int deleted = db.transaction(c -> delete(c, ids, before));
    pruned.increment(deleted);
    return new Batch(ids.size(), deleted);
  }

  /** Deletes every final run that finished before {@code before}, batch by batch; how many. */
  public int pruneAll(Instant before) {
    int total = 0;
    Batch batch;
    do {
      batch = pruneBatch(before);
      total += batch.deleted();
    } while (batch.selected() == batchSize);
    return total;
  }

  private List<String> candidates(Connection c, Instant before) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id FROM runs WHERE finished_at < ? AND "
                + FINAL
                + " ORDER BY finished_at, id LIMIT ?")) {
      Rows.bind(ps, before, batchSize);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    }
  }

  /**
   * Deletes the runs of {@code ids} still final and finished before {@code before} (a retry may
   * have started one again since it was selected), then the rows keyed by those that went.
   */
  private static int delete(Connection c, List<String> ids, Instant before) throws SQLException {
    String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
    List<String> gone = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM runs WHERE id IN ("
                + in
                + ") AND finished_at < ? AND "
                + FINAL
                + " RETURNING id")) {
      List<Object> values = new ArrayList<>(ids);
      values.add(before);
      Rows.bind(ps, values.toArray());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          gone.add(rs.getString(1));
        }
      }
    }
    if (gone.isEmpty()) {
      return 0;
    }
    String of = String.join(", ", Collections.nCopies(gone.size(), "?"));
    Object[] keys = gone.toArray();
    for (String table :
        List.of("tasks", "task_attempts", "webhook_deliveries", "task_approvals", "sla_misses")) {
      update(c, "DELETE FROM " + table + " WHERE run_id IN (" + of + ")", keys);
    }
    update(c, "DELETE FROM run_links WHERE child_run_id IN (" + of + ")", keys);
    update(c, "DELETE FROM run_links WHERE parent_run_id IN (" + of + ")", keys);
    return gone.size();
  }

  private static void update(Connection c, String sql, Object[] values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Rows.bind(ps, values);
      ps.executeUpdate();
    }
  }
}

package io.kontroler.api.backfills;

import io.kontroler.api.db.Database;
import io.kontroler.api.db.Rows;
import io.kontroler.core.run.RunCommand.BackfillProgress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The backfills of the history: a row written when one is asked for, then updated from each {@link
 * BackfillProgress} the DAG's partition publishes (a later position only, so replays change
 * nothing).
 */
public final class BackfillStore {

  /** A backfill as the history knows it. */
  public record Row(
      String id,
      String dag,
      Instant from,
      Instant to,
      int maxActive,
      int total,
      int done,
      int running,
      int waiting,
      boolean cancelled,
      String message,
      String requestedBy,
      Instant requestedAt,
      Instant updatedAt) {

    /** Asked for, not reported on yet. */
    public boolean reported() {
      return total > 0 || message != null;
    }

    public boolean finished() {
      return reported() && running == 0 && (waiting == 0 || cancelled);
    }
  }

  private static final String COLUMNS =
      "id, dag, from_at, to_at, max_active, total, done, running, waiting, cancelled, message,"
          + " requested_by, requested_at, updated_at";

  private static final String PROGRESS_UPSERT =
      "INSERT INTO backfills ("
          + COLUMNS
          + ", event_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO"
          + " UPDATE SET total = excluded.total, done = excluded.done, running = excluded.running,"
          + " waiting = excluded.waiting, cancelled = excluded.cancelled, message ="
          + " excluded.message, updated_at = excluded.updated_at, event_seq = excluded.event_seq"
          + " WHERE backfills.event_seq < excluded.event_seq";

  private final Database db;

  public BackfillStore(Database db) {
    this.db = db;
  }

  /** Records a backfill just asked for; the scheduler's reports fill in the rest. */
  public void requested(Row row) {
    db.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO backfills ("
                      + COLUMNS
                      + ", event_seq) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, 0, NULL, ?, ?, ?, -1)"
                      + " ON CONFLICT (id) DO NOTHING")) {
            Rows.bind(
                ps,
                row.id(),
                row.dag(),
                row.from(),
                row.to(),
                row.maxActive(),
                row.requestedBy(),
                row.requestedAt(),
                row.requestedAt());
            return ps.executeUpdate();
          }
        });
  }

  /** Applies {@code p}, found at position {@code seq} of run-events; true when it changed a row. */
  public static boolean apply(Connection c, BackfillProgress p, long seq) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PROGRESS_UPSERT)) {
      Rows.bind(
          ps,
          p.backfillId(),
          p.dag(),
          p.from(),
          p.to(),
          p.maxActive(),
          p.total(),
          p.done(),
          p.running(),
          p.waiting(),
          p.cancelled(),
          p.message(),
          null,
          p.at(),
          p.at(),
          seq);
      return ps.executeUpdate() == 1;
    }
  }

  /** The backfills of {@code dag}, newest first. */
  public List<Row> ofDag(String dag, int limit) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM backfills WHERE dag = ? ORDER BY requested_at DESC, id LIMIT ?")) {
            Rows.bind(ps, dag, limit);
            return rows(ps);
          }
        });
  }

  public Optional<Row> get(String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COLUMNS + " FROM backfills WHERE id = ?")) {
            Rows.bind(ps, id);
            return rows(ps).stream().findFirst();
          }
        });
  }

  private static List<Row> rows(PreparedStatement ps) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Row(
                rs.getString("id"),
                rs.getString("dag"),
                Rows.instant(rs, "from_at"),
                Rows.instant(rs, "to_at"),
                rs.getInt("max_active"),
                rs.getInt("total"),
                rs.getInt("done"),
                rs.getInt("running"),
                rs.getInt("waiting"),
                Rows.flag(rs, "cancelled"),
                rs.getString("message"),
                rs.getString("requested_by"),
                Rows.instant(rs, "requested_at"),
                Rows.instant(rs, "updated_at")));
      }
    }
    return out;
  }
}

package io.kontroler.api.webhooks;

import io.kontroler.api.db.Database;
import io.kontroler.api.db.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Webhook deliveries and their outcomes. A delivery is written in the transaction of the history
 * change that causes it (the table is the outbox the sender reads), so none is lost or written
 * twice by a crash.
 */
public final class DeliveryStore {

  /**
   * One delivery: pending (with its next attempt), delivered, or failed after every attempt. {@code
   * lastError} and {@code responseBody} (the start of the receiver's answer) are for admins.
   */
  public record Delivery(
      String id,
      String dag,
      String runId,
      String eventType,
      String url,
      boolean verifySsl,
      String payload,
      String status,
      int attempts,
      Integer responseCode,
      String lastError,
      String responseBody,
      Instant createdAt,
      Instant nextAttemptAt,
      Instant finishedAt) {

    /** The delivery as a viewer sees it: its status, not what the receiver or network said. */
    public Delivery forViewer() {
      return new Delivery(
          id,
          dag,
          runId,
          eventType,
          url,
          verifySsl,
          payload,
          status,
          attempts,
          responseCode,
          null,
          null,
          createdAt,
          nextAttemptAt,
          finishedAt);
    }
  }

  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";
  public static final String FAILED = "failed";

  private final Database db;

  public DeliveryStore(Database db) {
    this.db = db;
  }

  /** Writes a new pending delivery in the caller's transaction. */
  public static void insert(Connection c, Delivery d) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO webhook_deliveries (id, dag, run_id, event_type, url, verify_ssl,"
                + " payload, status, attempts, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?,"
                + " ?, ?, ?, 0, ?, ?)")) {
      Rows.bind(
          ps,
          d.id(),
          d.dag(),
          d.runId(),
          d.eventType(),
          d.url(),
          d.verifySsl(),
          d.payload(),
          PENDING,
          d.createdAt(),
          d.createdAt());
      ps.executeUpdate();
    }
  }

  /**
   * Records one attempt's outcome; {@code next} is the next attempt, null when finished. A null
   * {@code error} keeps the last one (a success after failures still shows why they failed).
   */
  public void outcome(
      String id,
      String status,
      int attempts,
      Integer code,
      String error,
      String body,
      Instant next,
      Instant at) {
    update(
        "UPDATE webhook_deliveries SET status = ?, attempts = ?, response_code = ?, last_error ="
            + " COALESCE(?, last_error), response_body = ?, next_attempt_at = ?, finished_at = ?"
            + " WHERE id = ?",
        status,
        attempts,
        code,
        error,
        body,
        next,
        PENDING.equals(status) ? null : at,
        id);
  }

  /**
   * Takes attempt {@code attempts + 1} of a pending delivery that is due at {@code now}; false when
   * another process or lane took it first, or it is not due (a stale view of it), so replicas
   * resuming the same pending deliveries do not send one twice nor retry one early.
   */
  public boolean claim(String id, int attempts, Instant now) {
    return db.transaction(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE webhook_deliveries SET attempts = attempts + 1 WHERE id = ? AND"
                          + " status = ? AND attempts = ? AND next_attempt_at <= ?")) {
                Rows.bind(ps, id, PENDING, attempts, now);
                return ps.executeUpdate();
              }
            })
        == 1;
  }

  public Optional<Delivery> find(String id) {
    List<Delivery> found = query("SELECT * FROM webhook_deliveries WHERE id = ?", id);
    return found.stream().findFirst();
  }

  /** Pending deliveries due at {@code now}, the earliest first. */
  public List<Delivery> due(Instant now, int limit) {
    return query(
        "SELECT * FROM webhook_deliveries WHERE status = ? AND next_attempt_at <= ? ORDER BY"
            + " next_attempt_at, created_at LIMIT ?",
        PENDING,
        now,
        limit);
  }

  /** Deliveries newest first, optionally of one DAG, run or status. */
  public List<Delivery> list(String dag, String runId, String status, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM webhook_deliveries WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (dag != null) {
      sql.append(" AND dag = ?");
      args.add(dag);
    }
    if (runId != null) {
      sql.append(" AND run_id = ?");
      args.add(runId);
    }
    if (status != null) {
      sql.append(" AND status = ?");
      args.add(status);
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    args.add(limit);
    return query(sql.toString(), args.toArray());
  }

  private List<Delivery> query(String sql, Object... args) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.bind(ps, args);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(delivery(rs));
              }
            }
            return out;
          }
        });
  }

  private static Delivery delivery(ResultSet rs) throws SQLException {
    return new Delivery(
        rs.getString("id"),
        rs.getString("dag"),
        rs.getString("run_id"),
        rs.getString("event_type"),
        rs.getString("url"),
        Rows.flag(rs, "verify_ssl"),
        rs.getString("payload"),
        rs.getString("status"),
        rs.getInt("attempts"),
        Rows.integer(rs, "response_code"),
        rs.getString("last_error"),
        rs.getString("response_body"),
        Rows.instant(rs, "created_at"),
        Rows.instant(rs, "next_attempt_at"),
        Rows.instant(rs, "finished_at"));
  }

  private void update(String sql, Object... args) {
    db.transaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.bind(ps, args);
            return ps.executeUpdate();
          }
        });
  }
}

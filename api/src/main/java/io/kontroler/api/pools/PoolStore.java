package io.kontroler.api.pools;

import com.fasterxml.jackson.core.type.TypeReference;
import io.kontroler.api.db.Database;
import io.kontroler.api.db.Rows;
import io.kontroler.api.http.Json;
import io.kontroler.core.message.PoolMessage.PoolHolder;
import io.kontroler.core.message.PoolMessage.PoolStatus;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shared pools as their owners last reported them ({@link PoolStatus} on run-events, keyed
 * {@code pool:<name>}): one row per pool, replaced by a later status only. Like the rest of the
 * history, a status applied twice changes nothing the second time.
 */
public final class PoolStore {

  /** A pool as {@code GET /api/v1/pools} shows it; {@code inUse} is how many slots are held. */
  public record PoolRow(
      String name,
      int slots,
      boolean defined,
      int inUse,
      int waiting,
      List<PoolHolder> holders,
      Instant updatedAt) {}

  private static final String UPSERT =
      "INSERT INTO pools (name, slots, defined, holders, waiting, updated_at, event_seq) VALUES"
          + " (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET slots = excluded.slots,"
          + " defined = excluded.defined, holders = excluded.holders, waiting ="
          + " excluded.waiting, updated_at = excluded.updated_at, event_seq = excluded.event_seq"
          + " WHERE pools.event_seq < excluded.event_seq";

  private static final TypeReference<List<PoolHolder>> HOLDERS = new TypeReference<>() {};

  private final Database db;

  public PoolStore(Database db) {
    this.db = db;
  }

  /** Records {@code status} found at position {@code seq}; true when it changed the pool's row. */
  public boolean apply(PoolStatus status, long seq) {
    return db.transaction(c -> write(c, status, seq));
  }

  static boolean write(Connection c, PoolStatus s, long seq) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      Rows.bind(
          ps, s.pool(), s.slots(), s.defined(), Json.write(s.holders()), s.waiting(), s.at(), seq);
      return ps.executeUpdate() == 1;
    }
  }

  /** Every pool reported so far, by name. */
  public List<PoolRow> list() {
    return rows("SELECT * FROM pools ORDER BY name");
  }

  /** One pool; empty when its owner never reported it. */
  public Optional<PoolRow> find(String name) {
    return rows("SELECT * FROM pools WHERE name = ?", name).stream().findFirst();
  }

  private List<PoolRow> rows(String sql, Object... args) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.bind(ps, args);
            List<PoolRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                List<PoolHolder> holders = holders(rs.getString("holders"));
                out.add(
                    new PoolRow(
                        rs.getString("name"),
                        rs.getInt("slots"),
                        Rows.flag(rs, "defined"),
                        holders.size(),
                        rs.getInt("waiting"),
                        holders,
                        Rows.instant(rs, "updated_at")));
              }
            }
            return out;
          }
        });
  }

  private static List<PoolHolder> holders(String json) {
    try {
      return Json.MAPPER.readValue(json, HOLDERS);
    } catch (IOException e) {
      throw new IllegalStateException("Expected the stored holders of a pool", e);
    }
  }
}

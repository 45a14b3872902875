package io.kontroler.api.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Small conversions between JDBC values and Java values, the same on SQLite and PostgreSQL. */
public final class Rows {
  private Rows() {}

  /** Binds {@code values} in order; Instants as epoch millis, Booleans as 0/1, nulls typed. */
  public static void bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      int at = i + 1;
      if (v == null) {
        ps.setNull(at, Types.NULL);
      } else if (v instanceof Instant t) {
        ps.setLong(at, t.toEpochMilli());
      } else if (v instanceof Boolean b) {
        ps.setInt(at, b ? 1 : 0);
      } else if (v instanceof Integer n) {
        ps.setInt(at, n);
      } else if (v instanceof Long n) {
        ps.setLong(at, n);
      } else {
        ps.setString(at, v.toString());
      }
    }
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  public static Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  public static boolean flag(ResultSet rs, String column) throws SQLException {
    return rs.getInt(column) != 0;
  }

  /** Escapes {@code %}, {@code _} and {@code \} for a LIKE pattern with ESCAPE '\'. */
  public static String likeContains(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }
}

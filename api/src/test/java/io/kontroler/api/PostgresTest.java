package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.db.Database;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class PostgresTest {
  @Test
  void migratesTheSchemaOnPostgresql16() {
    try (Database db = Database.open(TestPostgres.newDatabase(), null, null)) {
      assertThat(db.isSqlite()).isFalse();
      String version =
          db.read(
              c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SHOW server_version")) {
                  rs.next();
                  return rs.getString(1);
                }
              });
      assertThat(Integer.parseInt(version.split("\\.")[0])).isGreaterThanOrEqualTo(16);
      long runs =
          db.read(
              c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM runs")) {
                  rs.next();
                  return rs.getLong(1);
                }
              });
      assertThat(runs).isZero();
    }
  }
}

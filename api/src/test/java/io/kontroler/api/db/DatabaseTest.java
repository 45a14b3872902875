package io.kontroler.api.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path dir;

  @Test
  void migratesSqliteAndReopensWithoutChanges() {
    String url = "jdbc:sqlite:" + dir.resolve("h.db");
    try (Database db = Database.open(url, null, null)) {
      assertThat(db.isSqlite()).isTrue();
      assertThat(tables(db))
          .contains("runs", "tasks", "task_attempts", "users", "webhook_deliveries");
    }
    try (Database again = Database.open(url, null, null)) {
      assertThat(tables(again)).contains("runs");
    }
  }

  @Test
  void rollsBackATransactionThatThrows() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("t.db"), null, null)) {
      try {
        db.transaction(
            c -> {
              c.createStatement()
                  .executeUpdate(
                      "INSERT INTO users (username, password_hash, role, created_at) VALUES ('x',"
                          + " 'h', 'viewer', 0)");
              throw new IllegalStateException("boom");
            });
      } catch (IllegalStateException expected) {
        // the insert must be gone
      }
      long users =
          db.read(
              c -> {
                try (ResultSet rs =
                    c.createStatement().executeQuery("SELECT COUNT(*) FROM users")) {
                  rs.next();
                  return rs.getLong(1);
                }
              });
      assertThat(users).isZero();
    }
  }

  static List<String> tables(Database db) {
    return db.read(
        c -> {
          List<String> names = new ArrayList<>();
          try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
              names.add(rs.getString("TABLE_NAME").toLowerCase());
            }
          }
          return names;
        });
  }
}

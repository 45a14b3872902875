package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.db.Database;
import io.kontroler.api.runs.RunStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A history written before tasks had outputs, or instances and child runs, migrates and reads on.
 */
@ParameterizedClass
@EnumSource(Db.class)
class HistoryMigrationTest {
  @TempDir Path dir;
  private final Db db;

  HistoryMigrationTest(Db db) {
    this.db = db;
  }

  @Test
  void tasksRecordedBeforeOutputsExistedReadWithNoOutputs() throws Exception {
    String url = db.newUrl(dir);
    Flyway.configure()
        .dataSource(url, null, null)
        .locations("classpath:db/migration")
        .target("1.1")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO tasks (run_id, task, phase, attempt, exit_code, message, event_seq)"
              + " VALUES ('r-old', 'a', 'Succeeded', 1, 0, 'from before', 7)");
    }

    try (Database history = Database.open(url, null, null)) {
      RunStore.TaskRow row = new RunStore(history).tasks("r-old").get(0);
      assertThat(row.outputs()).isEmpty();
      assertThat(row.message()).isEqualTo("from before");
      assertThat(row.phase()).isEqualTo("Succeeded");
    }
  }

  @Test
  void tasksRecordedBeforeInstancesAndLinksExistedAreTasksOfTheirOwn() throws Exception {
    String url = db.newUrl(dir);
    Flyway.configure()
        .dataSource(url, null, null)
        .locations("classpath:db/migration")
        .target("1.2")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO tasks (run_id, task, phase, attempt, exit_code, message, event_seq)"
              + " VALUES ('r-old', 'a', 'Succeeded', 1, 0, 'from before', 7)");
    }

    try (Database history = Database.open(url, null, null)) {
      RunStore store = new RunStore(history);
      assertThat(store.tasks("r-old")).extracting(RunStore.TaskRow::task).containsExactly("a");
      assertThat(store.instanceCounts("r-old")).isEmpty();
      assertThat(store.parentOf("r-old")).isEmpty();
      assertThat(store.childRuns("r-old")).isEmpty();
    }
  }
}

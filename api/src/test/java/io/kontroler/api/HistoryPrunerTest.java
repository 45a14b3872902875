package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.db.Database;
import io.kontroler.api.history.HistoryPruner;
import io.kontroler.api.history.Projection;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.ChildRunLinked;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunPhase;
import io.kontroler.logstore.LocalLogStore;
import io.kontroler.logstore.LogKey;
import io.kontroler.logstore.LogWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The pruner on its own, on each history database: what goes, what stays, batch by batch. */
@ParameterizedClass
@EnumSource(Db.class)
class HistoryPrunerTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));

  private final Db db;
  @TempDir Path dir;
  private Database database;
  private Projection projection;
  private LocalLogStore logs;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private long seq;

  HistoryPrunerTest(Db db) {
    this.db = db;
  }

  @BeforeEach
  void open() {
    database = Database.open(db.newUrl(dir), null, null);
    projection = new Projection(database, Projection.Outbox.NONE, List.of());
    logs = new LocalLogStore(dir.resolve("logs"));
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void deletesOldFinishedRunsInBatchesAndKeepsNewerAndUnfinishedOnes() throws Exception {
    List<String> old = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = "old-" + i;
      old.add(id);
      finishedRun(id, NOW.minus(Duration.ofDays(40 + i)));
    }
    String recent = "recent";
    finishedRun(recent, NOW.minus(Duration.ofDays(1)));
    String stillRunning = "still-running";
    runningRun(stillRunning, NOW.minus(Duration.ofDays(90)));
    feed(
        new ChildRunLinked("old-0", ApiTestBase.DIAMOND_KEY, "a", 1, recent, "default/child", NOW));
    feed(
        new ChildRunLinked(recent, ApiTestBase.DIAMOND_KEY, "b", 1, "old-1", "default/child", NOW));

    HistoryPruner pruner = new HistoryPruner(database, logs, 2, registry);
    List<HistoryPruner.Batch> batches = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      batches.add(pruner.pruneBatch(CUTOFF));
    }

    assertThat(batches)
        .containsExactly(
            new HistoryPruner.Batch(2, 2),
            new HistoryPruner.Batch(2, 2),
            new HistoryPruner.Batch(1, 1),
            new HistoryPruner.Batch(0, 0));
    for (String id : old) {
      assertThat(rows("runs", "id", id)).as(id).isZero();
      assertThat(rows("tasks", "run_id", id)).as(id).isZero();
      assertThat(rows("task_attempts", "run_id", id)).as(id).isZero();
      assertThat(logs.attempts(id)).as(id).isEmpty();
      assertThat(Files.exists(dir.resolve("logs/runs/" + id))).as(id).isFalse();
    }
    assertThat(rows("run_links", "child_run_id", recent)).isZero();
    assertThat(rows("run_links", "parent_run_id", recent)).isZero();
    for (String kept : List.of(recent, stillRunning)) {
      assertThat(rows("runs", "id", kept)).as(kept).isEqualTo(1);
      assertThat(rows("tasks", "run_id", kept)).as(kept).isEqualTo(1);
      assertThat(rows("task_attempts", "run_id", kept)).as(kept).isEqualTo(1);
      assertThat(logs.read(new LogKey(kept, "a", 1), 0, 100).text()).isEqualTo(kept + "\n");
    }
    assertThat(registry.counter("kontroler.history.pruned.runs").count()).isEqualTo(5.0);
  }

  @Test
  void pruneAllGoesOnUntilABatchIsNotFull() throws Exception {
    for (int i = 0; i < 7; i++) {
      finishedRun("old-" + i, NOW.minus(Duration.ofDays(31)));
    }
    finishedRun("recent", NOW.minus(Duration.ofDays(29)));

    int deleted = new HistoryPruner(database, logs, 3, registry).pruneAll(CUTOFF);

    assertThat(deleted).isEqualTo(7);
    assertThat(rows("runs", "id", "recent")).isEqualTo(1);
    assertThat(rows("runs", "id", "old-6")).isZero();
  }

  @Test
  void aRunRetriedAfterItWasSelectedIsNotDeleted() throws Exception {
    finishedRun("retried", NOW.minus(Duration.ofDays(40)));
    // the retry's events arrive: the run is running again, finished_at is cleared
    feed(
        ApiTestBase.run(
            "retried",
            RunPhase.Succeeded,
            RunPhase.Running,
            new PhaseCounts(1, 0, 0, 0, 0, 0, 0, 0),
            NOW));

    assertThat(new HistoryPruner(database, logs, 10, registry).pruneAll(CUTOFF)).isZero();
    assertThat(rows("runs", "id", "retried")).isEqualTo(1);
  }

  /** A one-task run that ended at {@code end}, with a log of its attempt. */
  private void finishedRun(String id, Instant end) throws Exception {
    Instant start = end.minus(Duration.ofMinutes(5));
    feed(
        ApiTestBase.run(
            id,
            RunPhase.Pending,
            RunPhase.Running,
            new PhaseCounts(1, 0, 0, 0, 0, 0, 0, 0),
            start));
    ApiTestBase.taskSucceeds(id, "a", start).forEach(this::feed);
    feed(
        ApiTestBase.run(
            id,
            RunPhase.Running,
            RunPhase.Succeeded,
            new PhaseCounts(0, 0, 0, 0, 1, 0, 0, 0),
            end));
    log(id);
  }

  private void runningRun(String id, Instant start) throws Exception {
    feed(
        ApiTestBase.run(
            id,
            RunPhase.Pending,
            RunPhase.Running,
            new PhaseCounts(1, 0, 0, 0, 0, 0, 0, 0),
            start));
    ApiTestBase.taskSucceeds(id, "a", start).stream().limit(2).forEach(this::feed);
    log(id);
  }

  private void log(String id) throws Exception {
    try (LogWriter writer = logs.open(new LogKey(id, "a", 1))) {
      writer.line(id);
    }
  }

  private void feed(Notification event) {
    projection.apply(event, ++seq);
  }

  private long rows(String table, String column, String value) {
    return database.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }
}

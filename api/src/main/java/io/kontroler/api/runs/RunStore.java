package io.kontroler.api.runs;

import com.fasterxml.jackson.core.type.TypeReference;
import io.kontroler.api.db.Database;
import io.kontroler.api.db.Rows;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Json;
import io.kontroler.core.run.PhaseCounts;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads runs, tasks and attempts of the history, and records runs requested through the api. */
public final class RunStore {

  /** A run as stored. {@code parameters} are display values: secrets only by name. */
  public record RunRow(
      String id,
      String dag,
      Integer dagVersion,
      String runName,
      String phase,
      Map<String, String> parameters,
      String message,
      PhaseCounts counts,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      boolean paused,
      String pausedBy,
      boolean slaMissed) {}

  /**
   * The latest state of one task of a run; {@code outputs} are those of a succeeded task, {@code
   * waitingForPool} the shared pool a Pending task waits for a slot of (else null).
   */
  public record TaskRow(
      String task,
      String phase,
      int attempt,
      Integer exitCode,
      String failureKind,
      String message,
      Instant startedAt,
      Instant finishedAt,
      Map<String, String> outputs,
      String waitingForPool) {}

  /** One attempt of a task. */
  public record AttemptRow(
      int attempt,
      String phase,
      Integer exitCode,
      String failureKind,
      String message,
      Instant queuedAt,
      Instant startedAt,
      Instant finishedAt) {}

  /** A page of runs, newest first, and the cursor of the next page (null at the end). */
  public record Page(List<RunRow> items, String nextCursor) {}

  private final Database db;

  public RunStore(Database db) {
    this.db = db;
  }

  public Database database() {
    return db;
  }

  /** Records a run the api requested, before the scheduler reports on it; kept if present. */
  public static void insertRequested(
      Connection c,
      String id,
      String dag,
      int dagVersion,
      String runName,
      Map<String, String> parameters,
      Instant at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO runs (id, dag, dag_version, run_name, phase, parameters, created_at,"
                + " event_seq) VALUES (?, ?, ?, ?, 'Pending', ?, ?, -1) ON CONFLICT (id) DO"
                + " NOTHING")) {
      Rows.bind(ps, id, dag, dagVersion, runName, Json.write(parameters), at);
      ps.executeUpdate();
    }
  }

  /** The DAG version a run uses, read in the caller's transaction; empty when not known. */
  public static Optional<Integer> dagVersion(Connection c, String runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT dag_version FROM runs WHERE id = ?")) {
      Rows.bind(ps, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(Rows.integer(rs, "dag_version")) : Optional.empty();
      }
    }
  }

  public Optional<RunRow> find(String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT * FROM runs WHERE id = ?")) {
            Rows.bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(run(rs)) : Optional.empty();
            }
          }
        });
  }

  /** Runs newest first, optionally of one DAG and in one phase, after {@code cursor}. */
  public Page list(String dag, String phase, String cursor, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM runs WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (dag != null) {
      sql.append(" AND dag = ?");
      args.add(dag);
    }
    if (phase != null) {
      sql.append(" AND phase = ?");
      args.add(phase);
    }
    String[] after = decodeCursor(cursor);
    if (after != null) {
      sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
      long at = Long.parseLong(after[0]);
      args.add(at);
      args.add(at);
      args.add(after[1]);
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    args.add(limit + 1);
    List<RunRow> rows =
        db.read(
            c -> {
              try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Rows.bind(ps, args.toArray());
                List<RunRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(run(rs));
                  }
                }
                return out;
              }
            });
    if (rows.size() <= limit) {
      return new Page(rows, null);
    }
    RunRow last = rows.get(limit - 1);
    return new Page(rows.subList(0, limit), encodeCursor(last));
  }

  /** The run's tasks, by name; not the instances of its forEach tasks ({@link #instances}). */
  public List<TaskRow> tasks(String runId) {
    return taskRows(
        "SELECT * FROM tasks WHERE run_id = ? AND task_group IS NULL ORDER BY task", runId);
  }

  /** One task or instance of a run, as last reported; empty when none was. */
  public Optional<TaskRow> task(String runId, String task) {
    return taskRows("SELECT * FROM tasks WHERE run_id = ? AND task = ?", runId, task).stream()
        .findFirst();
  }

  /**
   * The instances of each forEach task of a run reported so far, counted by phase: task -> phase ->
   * count. One aggregate over the run's instance rows, however many there are.
   */
  public Map<String, Map<String, Integer>> instanceCounts(String runId) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT task_group, phase, COUNT(*) AS n FROM tasks WHERE run_id = ? AND"
                      + " task_group IS NOT NULL GROUP BY task_group, phase")) {
            Rows.bind(ps, runId);
            Map<String, Map<String, Integer>> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.computeIfAbsent(rs.getString("task_group"), g -> new TreeMap<>())
                    .put(rs.getString("phase"), rs.getInt("n"));
              }
            }
            return out;
          }
        });
  }

  /** A page of the instances of forEach task {@code task}, by index. */
  public List<TaskRow> instances(String runId, String task, int offset, int limit) {
    return taskRows(
        "SELECT * FROM tasks WHERE run_id = ? AND task_group = ? ORDER BY task_index LIMIT ?"
            + " OFFSET ?",
        runId,
        task,
        limit,
        offset);
  }

  private List<TaskRow> taskRows(String sql, Object... args) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.bind(ps, args);
            List<TaskRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new TaskRow(
                        rs.getString("task"),
                        rs.getString("phase"),
                        rs.getInt("attempt"),
                        Rows.integer(rs, "exit_code"),
                        rs.getString("failure_kind"),
                        rs.getString("message"),
                        Rows.instant(rs, "started_at"),
                        Rows.instant(rs, "finished_at"),
                        outputs(rs.getString("outputs")),
                        rs.getString("waiting_for_pool")));
              }
            }
            return out;
          }
        });
  }

  /** The dagRef task of a parent run whose attempt started a child run. */
  public record RunLink(
      String childRunId,
      String childDag,
      String parentRunId,
      String parentDag,
      String parentTask) {}

  /** The parent run and task that started {@code runId}; empty for a run of its own. */
  public Optional<RunLink> parentOf(String runId) {
    return links("SELECT * FROM run_links WHERE child_run_id = ?", runId).stream().findFirst();
  }

  /** The child run of each dagRef task of {@code runId}: its latest attempt's. */
  /** A decision on an attempt of an approval task; {@code user} is null when it timed out. */
  public record ApprovalRow(
      int attempt, boolean approved, String user, String comment, Instant at) {}

  /** The latest decision on each approval task of the run, by task. */
  public Map<String, ApprovalRow> approvals(String runId) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM task_approvals WHERE run_id = ? ORDER BY task, attempt")) {
            Rows.bind(ps, runId);
            Map<String, ApprovalRow> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(
                    rs.getString("task"),
                    new ApprovalRow(
                        rs.getInt("attempt"),
                        Rows.flag(rs, "approved"),
                        rs.getString("decided_by"),
                        rs.getString("comment"),
                        Rows.instant(rs, "decided_at")));
              }
            }
            return out;
          }
        });
  }

  public Map<String, String> childRuns(String runId) {
    Map<String, String> out = new TreeMap<>();
    links("SELECT * FROM run_links WHERE parent_run_id = ? ORDER BY parent_task, attempt", runId)
        .forEach(l -> out.put(l.parentTask(), l.childRunId()));
    return out;
  }

  private List<RunLink> links(String sql, String runId) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.bind(ps, runId);
            List<RunLink> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new RunLink(
                        rs.getString("child_run_id"),
                        rs.getString("child_dag"),
                        rs.getString("parent_run_id"),
                        rs.getString("parent_dag"),
                        rs.getString("parent_task")));
              }
            }
            return out;
          }
        });
  }

  private static Map<String, String> outputs(String json) {
    return json == null ? Map.of() : readMap(json);
  }

  public List<AttemptRow> attempts(String runId, String task) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM task_attempts WHERE run_id = ? AND task = ? ORDER BY attempt")) {
            Rows.bind(ps, runId, task);
            List<AttemptRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new AttemptRow(
                        rs.getInt("attempt"),
                        rs.getString("phase"),
                        Rows.integer(rs, "exit_code"),
                        rs.getString("failure_kind"),
                        rs.getString("message"),
                        Rows.instant(rs, "queued_at"),
                        Rows.instant(rs, "started_at"),
                        Rows.instant(rs, "finished_at")));
              }
            }
            return out;
          }
        });
  }

  private static RunRow run(ResultSet rs) throws SQLException {
    String counts = rs.getString("counts");
    return new RunRow(
        rs.getString("id"),
        rs.getString("dag"),
        Rows.integer(rs, "dag_version"),
        rs.getString("run_name"),
        rs.getString("phase"),
        readMap(rs.getString("parameters")),
        rs.getString("message"),
        counts == null ? null : readCounts(counts),
        Rows.instant(rs, "created_at"),
        Rows.instant(rs, "started_at"),
        Rows.instant(rs, "finished_at"),
        Rows.flag(rs, "paused"),
        rs.getString("paused_by"),
        Rows.flag(rs, "sla_missed"));
  }

  private static Map<String, String> readMap(String json) {
    try {
      return Json.MAPPER.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Expected stored run parameters", e);
    }
  }

  private static PhaseCounts readCounts(String json) {
    try {
      return Json.MAPPER.readValue(json, PhaseCounts.class);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Expected stored phase counts", e);
    }
  }

  private static String encodeCursor(RunRow row) {
    String raw = row.createdAt().toEpochMilli() + ":" + row.id();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The (created_at, id) of a cursor; null for none; an invalid cursor is treated as bad input. */
  static String[] decodeCursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = raw.indexOf(':');
      Long.parseLong(raw.substring(0, colon));
      return new String[] {raw.substring(0, colon), raw.substring(colon + 1)};
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      throw new ApiException(400, "invalid cursor '" + cursor + "'");
    }
  }
}

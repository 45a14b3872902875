package io.kontroler.api.history;

import io.kontroler.api.db.Database;
import io.kontroler.api.db.Rows;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Figures for the dashboard, from the run history. */
public final class Stats {

  /** Runs created on one UTC day, by phase. */
  public record Day(LocalDate day, Map<String, Long> phases) {}

  /** Ended attempts with one outcome and failure kind. */
  public record Outcome(String phase, String failureKind, long count) {}

  /** The dashboard: since when, runs by day and by phase, active runs, task outcomes. */
  public record Summary(
      Instant since,
      List<Day> runsByDay,
      Map<String, Long> runsByPhase,
      long activeRuns,
      List<Outcome> taskOutcomes) {}

  private final Database db;

  public Stats(Database db) {
    this.db = db;
  }

  /** The last {@code days} days up to {@code now}. */
  public Summary summary(Instant now, int days) {
    Instant since =
        now.atZone(ZoneOffset.UTC)
            .toLocalDate()
            .minusDays(days - 1L)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant();
    Map<LocalDate, Map<String, Long>> byDay = new TreeMap<>();
    for (LocalDate d = since.atZone(ZoneOffset.UTC).toLocalDate();
        !d.isAfter(now.atZone(ZoneOffset.UTC).toLocalDate());
        d = d.plusDays(1)) {
      byDay.put(d, new TreeMap<>());
    }
    Map<String, Long> byPhase = new TreeMap<>();
    long[] active = {0};
    List<Outcome> outcomes = new ArrayList<>();
    db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT created_at, phase FROM runs WHERE created_at >= ? ORDER BY created_at")) {
            Rows.bind(ps, since);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                LocalDate day =
                    Instant.ofEpochMilli(rs.getLong(1)).atZone(ZoneOffset.UTC).toLocalDate();
                String phase = rs.getString(2);
                byDay.computeIfAbsent(day, d -> new TreeMap<>()).merge(phase, 1L, Long::sum);
                byPhase.merge(phase, 1L, Long::sum);
              }
            }
          }
          try (ResultSet rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT COUNT(*) FROM runs WHERE phase IN ('Pending', 'Running')")) {
            rs.next();
            active[0] = rs.getLong(1);
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT phase, failure_kind, COUNT(*) FROM task_attempts WHERE finished_at >= ?"
                      + " GROUP BY phase, failure_kind ORDER BY phase, failure_kind")) {
            Rows.bind(ps, since);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                outcomes.add(new Outcome(rs.getString(1), rs.getString(2), rs.getLong(3)));
              }
            }
          }
          return null;
        });
    List<Day> perDay = new ArrayList<>();
    byDay.forEach((d, m) -> perDay.add(new Day(d, m)));
    return new Summary(since, perDay, byPhase, active[0], outcomes);
  }
}

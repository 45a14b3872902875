package io.kontroler.api.history;

import io.kontroler.api.db.Rows;
import io.kontroler.core.run.RunCommand.TaskWaitingForPool;
import io.kontroler.core.run.TaskPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Which shared pool a task waits for a slot of: set by {@link TaskWaitingForPool} on the task's row
 * (created Pending when the task was not reported yet), cleared by the projection when the task's
 * phase moves on from Pending (its slot was granted, or it ended without one).
 */
final class PoolWaits {
  private PoolWaits() {}

  private static final String UPSERT =
      "INSERT INTO tasks (run_id, task, phase, attempt, event_seq, task_group, task_index,"
          + " waiting_for_pool) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, task) DO"
          + " UPDATE SET waiting_for_pool = excluded.waiting_for_pool, event_seq ="
          + " excluded.event_seq WHERE tasks.event_seq < excluded.event_seq";

  /** Applies {@code w} at position {@code seq}; true when it changed the history. */
  static boolean waiting(Connection c, TaskWaitingForPool w, long seq) throws SQLException {
    InstanceName instance = InstanceName.parse(w.task());
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      Rows.bind(
          ps,
          w.runId(),
          w.task(),
          TaskPhase.Pending.name(),
          w.attempt(),
          seq,
          instance == null ? null : instance.task(),
          instance == null ? null : instance.index(),
          w.pool());
      return ps.executeUpdate() == 1;
    }
  }
}

-- A run paused (no new task starts until it is resumed), by whom; and whether an SLA of the run or
-- of one of its tasks was missed (sla_misses says which).
ALTER TABLE runs ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN paused_by VARCHAR(100);
ALTER TABLE runs ADD COLUMN sla_missed INTEGER NOT NULL DEFAULT 0;

-- Who approved or rejected an attempt of an approval task, and when; decided_by is null when the
-- task timed out without a decision.
CREATE TABLE task_approvals (
  run_id VARCHAR(64) NOT NULL,
  task VARCHAR(260) NOT NULL,
  attempt INTEGER NOT NULL,
  approved INTEGER NOT NULL,
  decided_by VARCHAR(100),
  comment TEXT,
  decided_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, task, attempt)
);

-- A missed SLA: of the run (task '') or of a task, once each.
CREATE TABLE sla_misses (
  run_id VARCHAR(64) NOT NULL,
  task VARCHAR(260) NOT NULL,
  seconds BIGINT NOT NULL,
  missed_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, task)
);

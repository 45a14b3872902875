-- An instance of a forEach task (task 'process[3]') names its task and index, so that a run's
-- instances are counted and paged per task without reading them all; null for other tasks.
ALTER TABLE tasks ADD COLUMN task_group VARCHAR(260);
ALTER TABLE tasks ADD COLUMN task_index INTEGER;
CREATE INDEX tasks_by_group ON tasks (run_id, task_group, task_index);

-- The child run an attempt of a dagRef task started: read by child (its parent run and task) and
-- by parent run and task (its child run, the latest attempt's).
CREATE TABLE run_links (
  child_run_id VARCHAR(64) PRIMARY KEY,
  child_dag VARCHAR(520) NOT NULL,
  parent_run_id VARCHAR(64) NOT NULL,
  parent_dag VARCHAR(520) NOT NULL,
  parent_task VARCHAR(260) NOT NULL,
  attempt INTEGER NOT NULL,
  linked_at BIGINT NOT NULL
);
CREATE INDEX run_links_by_parent ON run_links (parent_run_id, parent_task, attempt);

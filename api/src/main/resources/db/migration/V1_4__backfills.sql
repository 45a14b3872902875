-- Backfills of a DAG: recorded when asked for, then as the DAG's scheduler partition reports their
-- progress (BackfillProgress on run-events; event_seq keeps replays from going back).
CREATE TABLE backfills (
  id VARCHAR(64) PRIMARY KEY,
  dag VARCHAR(520) NOT NULL,
  from_at BIGINT NOT NULL,
  to_at BIGINT NOT NULL,
  max_active INTEGER NOT NULL,
  total INTEGER NOT NULL,
  done INTEGER NOT NULL,
  running INTEGER NOT NULL,
  waiting INTEGER NOT NULL,
  cancelled INTEGER NOT NULL,
  message VARCHAR(2000),
  requested_by VARCHAR(260),
  requested_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  event_seq BIGINT NOT NULL
);
CREATE INDEX backfills_by_dag ON backfills (dag, requested_at);

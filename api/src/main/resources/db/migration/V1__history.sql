-- Kontroler api history schema. The same script runs on SQLite and PostgreSQL 16+:
-- times are epoch milliseconds (BIGINT), flags are INTEGER 0/1, ids are text.

CREATE TABLE users (
  username VARCHAR(100) PRIMARY KEY,
  password_hash VARCHAR(300) NOT NULL,
  role VARCHAR(20) NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
  id VARCHAR(40) PRIMARY KEY,
  token_hash VARCHAR(64) NOT NULL UNIQUE,
  username VARCHAR(100) NOT NULL REFERENCES users (username) ON DELETE CASCADE,
  name VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE dags (
  dag VARCHAR(520) PRIMARY KEY,
  namespace VARCHAR(260) NOT NULL,
  name VARCHAR(260) NOT NULL,
  latest_version INTEGER NOT NULL,
  suspended INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  webhook_secret VARCHAR(100) NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE dag_versions (
  dag VARCHAR(520) NOT NULL,
  version INTEGER NOT NULL,
  spec TEXT NOT NULL,
  published_at BIGINT NOT NULL,
  PRIMARY KEY (dag, version)
);

CREATE TABLE dag_task_versions (
  namespace VARCHAR(260) NOT NULL,
  name VARCHAR(260) NOT NULL,
  version INTEGER NOT NULL,
  spec TEXT NOT NULL,
  published_at BIGINT NOT NULL,
  PRIMARY KEY (namespace, name, version)
);

CREATE TABLE runs (
  id VARCHAR(64) PRIMARY KEY,
  dag VARCHAR(520) NOT NULL,
  dag_version INTEGER,
  run_name VARCHAR(300),
  phase VARCHAR(20) NOT NULL,
  parameters TEXT NOT NULL,
  message TEXT,
  counts TEXT,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  event_seq BIGINT NOT NULL
);
CREATE INDEX runs_by_created ON runs (created_at, id);
CREATE INDEX runs_by_dag ON runs (dag, created_at);

CREATE TABLE tasks (
  run_id VARCHAR(64) NOT NULL,
  task VARCHAR(260) NOT NULL,
  phase VARCHAR(20) NOT NULL,
  attempt INTEGER NOT NULL,
  exit_code INTEGER,
  failure_kind VARCHAR(20),
  message TEXT,
  started_at BIGINT,
  finished_at BIGINT,
  event_seq BIGINT NOT NULL,
  PRIMARY KEY (run_id, task)
);

CREATE TABLE task_attempts (
  run_id VARCHAR(64) NOT NULL,
  task VARCHAR(260) NOT NULL,
  attempt INTEGER NOT NULL,
  phase VARCHAR(20) NOT NULL,
  exit_code INTEGER,
  failure_kind VARCHAR(20),
  message TEXT,
  queued_at BIGINT,
  started_at BIGINT,
  finished_at BIGINT,
  event_seq BIGINT NOT NULL,
  PRIMARY KEY (run_id, task, attempt)
);
CREATE INDEX attempts_by_finished ON task_attempts (finished_at);

CREATE TABLE webhook_deliveries (
  id VARCHAR(64) PRIMARY KEY,
  dag VARCHAR(520) NOT NULL,
  run_id VARCHAR(64) NOT NULL,
  event_type VARCHAR(20) NOT NULL,
  url TEXT NOT NULL,
  verify_ssl INTEGER NOT NULL,
  payload TEXT NOT NULL,
  status VARCHAR(20) NOT NULL,
  attempts INTEGER NOT NULL,
  response_code INTEGER,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  next_attempt_at BIGINT,
  finished_at BIGINT
);
CREATE INDEX deliveries_by_status ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_run ON webhook_deliveries (run_id, created_at);

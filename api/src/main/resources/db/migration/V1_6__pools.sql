-- Where each shared pool stands, as its owner in the scheduler last reported it (PoolStatus on
-- run-events): its slots, whether an admin defined it, the attempts holding a slot (a JSON array
-- of {dag, runId, task, attempt, since, leaseUntil}) and how many wait.
CREATE TABLE pools (
  name VARCHAR(100) PRIMARY KEY,
  slots INTEGER NOT NULL,
  defined INTEGER NOT NULL,
  holders TEXT NOT NULL,
  waiting INTEGER NOT NULL,
  updated_at BIGINT NOT NULL,
  event_seq BIGINT NOT NULL
);

-- The pool a task's current attempt waits for a slot of (TaskWaitingForPool); null once the task
-- moves on from Pending, and for tasks that wait for none.
ALTER TABLE tasks ADD COLUMN waiting_for_pool VARCHAR(100);

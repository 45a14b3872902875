-- History retention looks for runs that finished before a cutoff, oldest first.
CREATE INDEX runs_by_finished ON runs (finished_at);

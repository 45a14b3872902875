package io.kontroler.core.dag;

/** What a scheduled fire does while an earlier run of the DAG is active, as Kubernetes CronJobs. */
public enum ConcurrencyPolicy {
  Allow,
  Forbid,
  Replace
}

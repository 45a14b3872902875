package io.kontroler.ingest.workflow;

import java.util.Map;

/**
 * The labels by which Kontroler finds the Kubernetes Jobs of a run: every Job the executor creates
 * carries {@code app.kubernetes.io/managed-by=kontroler} and {@code kontroler.greedykomodo/run=<run
 * id>}. Labels under {@code kontroler.greedykomodo/}, {@code batch.kubernetes.io/} and Kubernetes'
 * own Job labels belong to Kontroler and Kubernetes; every other label of a WorkFlow's Job mirrors
 * the WorkFlow's labels.
 */
public final class JobLabels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "kontroler";
  public static final String RUN = "kontroler.greedykomodo/run";

  private JobLabels() {}

  /** Whether {@code key} is set by Kontroler or Kubernetes rather than copied from the WorkFlow. */
  public static boolean reserved(String key) {
    return key.equals(MANAGED_BY)
        || key.startsWith("kontroler.greedykomodo/")
        || key.startsWith("batch.kubernetes.io/")
        || key.equals("controller-uid")
        || key.equals("job-name");
  }

  /** The selector of a run's Jobs. */
  public static Map<String, String> selector(String runId) {
    return Map.of(MANAGED_BY, MANAGER, RUN, runId);
  }
}

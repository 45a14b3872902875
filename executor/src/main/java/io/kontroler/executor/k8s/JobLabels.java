package io.kontroler.executor.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kontroler.executor.backend.AttemptId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels Kontroler puts on its Jobs and pods (label-safe values, for selection) and the
 * annotations that carry the exact attempt (for reading it back).
 */
public final class JobLabels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String KONTROLER = "kontroler";
  static final String PREFIX = "kontroler.greedykomodo/";
  public static final String DAG = PREFIX + "dag";
  public static final String RUN = PREFIX + "run";
  public static final String TASK = PREFIX + "task";
  public static final String ATTEMPT = PREFIX + "attempt";

  /** On pods: the Job they belong to. */
  public static final String JOB = PREFIX + "job";

  /** Annotation set once the attempt's outcome was published. */
  public static final String REPORTED = PREFIX + "reported";

  private JobLabels() {}

  static Map<String, String> labels(AttemptId id) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, KONTROLER);
    labels.put(DAG, JobNames.labelValue(id.dag()));
    labels.put(RUN, JobNames.labelValue(id.runId()));
    labels.put(TASK, JobNames.labelValue(id.task()));
    labels.put(ATTEMPT, String.valueOf(id.attempt()));
    return labels;
  }

  static Map<String, String> annotations(AttemptId id) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(DAG, id.dag());
    annotations.put(RUN, id.runId());
    annotations.put(TASK, id.task());
    annotations.put(ATTEMPT, String.valueOf(id.attempt()));
    return annotations;
  }

  /** The attempt a Job or pod of Kontroler belongs to; null for anything else. */
  static AttemptId attemptOf(HasMetadata resource) {
    Map<String, String> a = resource.getMetadata().getAnnotations();
    if (a == null || a.get(DAG) == null || a.get(RUN) == null || a.get(TASK) == null) {
      return null;
    }
    try {
      return new AttemptId(a.get(RUN), a.get(DAG), a.get(TASK), Integer.parseInt(a.get(ATTEMPT)));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

package io.kontroler.executor.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kontroler.core.job.JobLabels;
import io.kontroler.executor.backend.Adoptable;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.InstanceName;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link JobLabels} of an attempt's Job and pods (label-safe values, for selection) and the
 * annotations that carry the exact attempt (for reading it back).
 */
final class JobMetadata {
  private JobMetadata() {}

  static Map<String, String> labels(AttemptId id) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(JobLabels.MANAGED_BY, JobLabels.KONTROLER);
    labels.put(JobLabels.DAG, JobNames.labelValue(id.dag()));
    labels.put(JobLabels.RUN, JobNames.labelValue(id.runId()));
    labels.put(JobLabels.TASK, JobNames.labelValue(id.task()));
    labels.put(JobLabels.ATTEMPT, String.valueOf(id.attempt()));
    InstanceName instance = InstanceName.parse(id.task());
    if (instance != null) {
      labels.put(JobLabels.INSTANCE_OF, JobNames.labelValue(instance.task()));
      labels.put(JobLabels.INDEX, String.valueOf(instance.index()));
    }
    return labels;
  }

  static Map<String, String> annotations(AttemptId id) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(JobLabels.DAG, id.dag());
    annotations.put(JobLabels.RUN, id.runId());
    annotations.put(JobLabels.TASK, id.task());
    annotations.put(JobLabels.ATTEMPT, String.valueOf(id.attempt()));
    return annotations;
  }

  /**
   * The partition of the launches topic a Job's launch was read from; {@link Adoptable#UNKNOWN}
   * when the Job does not say (created before it was recorded).
   */
  static int launchPartitionOf(HasMetadata job) {
    Map<String, String> a = job.getMetadata().getAnnotations();
    String value = a == null ? null : a.get(JobLabels.LAUNCH_PARTITION);
    try {
      return value == null
          ? Adoptable.UNKNOWN
          : Math.max(Adoptable.UNKNOWN, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return Adoptable.UNKNOWN;
    }
  }

  /** The attempt a Job or pod of Kontroler belongs to; null for anything else. */
  static AttemptId attemptOf(HasMetadata resource) {
    Map<String, String> a = resource.getMetadata().getAnnotations();
    if (a == null
        || a.get(JobLabels.DAG) == null
        || a.get(JobLabels.RUN) == null
        || a.get(JobLabels.TASK) == null) {
      return null;
    }
    try {
      return new AttemptId(
          a.get(JobLabels.RUN),
          a.get(JobLabels.DAG),
          a.get(JobLabels.TASK),
          Integer.parseInt(a.get(JobLabels.ATTEMPT)));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

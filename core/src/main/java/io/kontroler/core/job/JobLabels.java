package io.kontroler.core.job;

import java.util.Map;

/**
 * The labels and annotations on the Kubernetes Jobs of Kontroler: the executor puts them on every
 * Job, pod and workspace claim it creates, and the WorkFlow controller finds a run's Jobs by them.
 * Labels carry label-safe values (for selection); annotations under the same keys carry the exact
 * values (for reading them back). Keys under {@link #PREFIX}, {@code batch.kubernetes.io/} and
 * Kubernetes' own Job labels belong to Kontroler and Kubernetes; every other label of a WorkFlow's
 * Job mirrors the WorkFlow's labels.
 */
public final class JobLabels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The value of {@link #MANAGED_BY} on everything Kontroler creates. */
  public static final String KONTROLER = "kontroler";

  /** The prefix of Kontroler's own labels and annotations. */
  public static final String PREFIX = "kontroler.greedykomodo/";

  public static final String DAG = PREFIX + "dag";
  public static final String RUN = PREFIX + "run";
  public static final String TASK = PREFIX + "task";
  public static final String ATTEMPT = PREFIX + "attempt";

  /**
   * On the Jobs and pods of an instance {@code process[3]} of a forEach task: the task it is an
   * instance of ({@code process}), to select all of them; {@link #INDEX} holds its index ({@code
   * 3}). The {@link #TASK} label holds {@code process.3}, which no task name can be.
   */
  public static final String INSTANCE_OF = PREFIX + "instance-of";

  /** On the Jobs and pods of an instance of a forEach task: its index in the list. */
  public static final String INDEX = PREFIX + "index";

  /**
   * Annotation on Jobs: the partition of the launches topic the attempt's launch was read from; the
   * executor worker that owns that partition next follows the Job.
   */
  public static final String LAUNCH_PARTITION = PREFIX + "launch-partition";

  /** On pods: the Job they belong to. */
  public static final String JOB = PREFIX + "job";

  /** Annotation set once the attempt's outcome was published. */
  public static final String REPORTED = PREFIX + "reported";

  private JobLabels() {}

  /** Whether {@code key} is set by Kontroler or Kubernetes rather than copied from the WorkFlow. */
  public static boolean reserved(String key) {
    return key.equals(MANAGED_BY)
        || key.startsWith(PREFIX)
        || key.startsWith("batch.kubernetes.io/")
        || key.equals("controller-uid")
        || key.equals("job-name");
  }

  /** The selector of a run's Jobs. */
  public static Map<String, String> selector(String runId) {
    return Map.of(MANAGED_BY, KONTROLER, RUN, runId);
  }
}

package io.kontroler.executor.k8s;

import io.kontroler.core.validate.PodPolicy;
import io.kontroler.executor.ExecutorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the Kubernetes backend: {@code namespace} where Jobs run (null: each DAG's own
 * namespace, where its Secrets and claims live); {@code watchNamespaces}, the namespaces whose Jobs
 * and pods the backend watches when Jobs run in their DAG's namespace (empty: all, which needs
 * cluster-wide read access); {@code jobTtlSeconds}, how long a finished Job and its pods stay for
 * inspection once the attempt's outcome is reported and its log stored (null: until deleted);
 * {@code resync}, how often the informers replay their cache as a safety net for missed events;
 * {@code podPolicy}, what a task's pod and its Secrets are checked against again at launch ({@link
 * LaunchPolicy}).
 */
public record KubernetesSettings(
    String namespace,
    List<String> watchNamespaces,
    Integer jobTtlSeconds,
    Duration resync,
    PodPolicy podPolicy) {

  public KubernetesSettings {
    Objects.requireNonNull(resync, "resync");
    namespace = namespace == null || namespace.isBlank() ? null : namespace;
    watchNamespaces = List.copyOf(Objects.requireNonNullElse(watchNamespaces, List.of()));
    podPolicy = Objects.requireNonNullElse(podPolicy, PodPolicy.RESTRICTED);
  }

  /**
   * Each DAG's namespace, all watched, finished Jobs kept one hour, resync every five minutes, the
   * restrictive pod policy.
   */
  public static KubernetesSettings defaults() {
    return new KubernetesSettings(
        null, List.of(), 3600, Duration.ofMinutes(5), PodPolicy.RESTRICTED);
  }

  /** The settings the executor's keys give ({@link ExecutorConfig#TABLE}). */
  public static KubernetesSettings fromFlat(Map<String, String> c) {
    return ExecutorConfig.fromFlat(c).kubernetes();
  }

  /** The namespaces to watch: the one Jobs run in, else those listed; empty means all. */
  public List<String> watched() {
    return namespace != null ? List.of(namespace) : watchNamespaces;
  }

  public KubernetesSettings withNamespace(String namespace) {
    return new KubernetesSettings(namespace, watchNamespaces, jobTtlSeconds, resync, podPolicy);
  }

  public KubernetesSettings withWatchNamespaces(List<String> namespaces) {
    return new KubernetesSettings(namespace, namespaces, jobTtlSeconds, resync, podPolicy);
  }

  public KubernetesSettings withJobTtlSeconds(Integer jobTtlSeconds) {
    return new KubernetesSettings(namespace, watchNamespaces, jobTtlSeconds, resync, podPolicy);
  }

  public KubernetesSettings withPodPolicy(PodPolicy podPolicy) {
    return new KubernetesSettings(namespace, watchNamespaces, jobTtlSeconds, resync, podPolicy);
  }
}

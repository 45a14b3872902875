package io.kontroler.executor.k8s;

import io.kontroler.core.validate.PodPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the Kubernetes backend: {@code namespace} where Jobs run (null: each DAG's own
 * namespace, where its Secrets and claims live); {@code jobTtlSeconds}, how long a finished Job and
 * its pods stay for inspection (null: until deleted); {@code resync}, how often the informers
 * replay their cache as a safety net for missed events; {@code podPolicy}, what a task's pod and
 * its Secrets are checked against again at launch ({@link LaunchPolicy}).
 */
public record KubernetesSettings(
    String namespace, Integer jobTtlSeconds, Duration resync, PodPolicy podPolicy) {

  public KubernetesSettings {
    Objects.requireNonNull(resync, "resync");
    namespace = namespace == null || namespace.isBlank() ? null : namespace;
    podPolicy = Objects.requireNonNullElse(podPolicy, PodPolicy.RESTRICTED);
  }

  /**
   * Each DAG's namespace, finished Jobs kept one hour, resync every five minutes, the restrictive
   * pod policy.
   */
  public static KubernetesSettings defaults() {
    return new KubernetesSettings(null, 3600, Duration.ofMinutes(5), PodPolicy.RESTRICTED);
  }

  public KubernetesSettings withNamespace(String namespace) {
    return new KubernetesSettings(namespace, jobTtlSeconds, resync, podPolicy);
  }

  public KubernetesSettings withPodPolicy(PodPolicy podPolicy) {
    return new KubernetesSettings(namespace, jobTtlSeconds, resync, podPolicy);
  }
}

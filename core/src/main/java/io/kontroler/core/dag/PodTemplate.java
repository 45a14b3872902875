package io.kontroler.core.dag;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pod-level settings of a task. Kubernetes sub-objects (volumes, affinity, resources …) are kept as
 * plain JSON-like trees (maps, lists, strings, numbers, booleans); the executor turns them into
 * Kubernetes types.
 */
public record PodTemplate(
    List<Object> volumes,
    List<Object> volumeMounts,
    List<Object> imagePullSecrets,
    Map<String, Object> securityContext,
    Map<String, String> nodeSelector,
    List<Object> tolerations,
    Map<String, Object> affinity,
    String serviceAccountName,
    Long activeDeadlineSeconds,
    Boolean automountServiceAccountToken,
    Map<String, Object> resources) {

  public static final PodTemplate EMPTY =
      new PodTemplate(null, null, null, null, null, null, null, null, null, null, null);

  public PodTemplate {
    volumes = Trees.list(volumes);
    volumeMounts = Trees.list(volumeMounts);
    imagePullSecrets = Trees.list(imagePullSecrets);
    securityContext = Trees.map(securityContext);
    nodeSelector = Map.copyOf(Objects.requireNonNullElse(nodeSelector, Map.of()));
    tolerations = Trees.list(tolerations);
    affinity = Trees.map(affinity);
    resources = Trees.map(resources);
  }

  public PodTemplate withActiveDeadlineSeconds(Long seconds) {
    return new PodTemplate(
        volumes,
        volumeMounts,
        imagePullSecrets,
        securityContext,
        nodeSelector,
        tolerations,
        affinity,
        serviceAccountName,
        seconds,
        automountServiceAccountToken,
        resources);
  }
}

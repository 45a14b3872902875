package io.kontroler.ingest.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

/** Brings the world in line with one resource of one kind. */
public interface Reconciler {

  /** The resource as last seen; it may be marked for deletion. */
  void reconcile(GenericKubernetesResource resource);

  /**
   * The runs whose notifications change the resource's status, as far as its cached state tells
   * without a reconcile; read when the controller starts, before it reads {@code run-events}.
   */
  default List<String> runsOf(GenericKubernetesResource resource) {
    return List.of();
  }

  /** The resource is gone from the API server; {@code lastSeen} is its final state. */
  default void gone(GenericKubernetesResource lastSeen) {}
}

package io.kontroler.ingest.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** Brings the world in line with one resource of one kind. */
public interface Reconciler {

  /** The resource as last seen; it may be marked for deletion. */
  void reconcile(GenericKubernetesResource resource);

  /** The resource is gone from the API server; {@code lastSeen} is its final state. */
  default void gone(GenericKubernetesResource lastSeen) {}
}

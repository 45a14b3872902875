package io.kontroler.ingest.k8s;

/** A resource to reconcile: its kind, namespace and name. */
public record WorkItem(ResourceKind kind, String namespace, String name) {
  @Override
  public String toString() {
    return kind.kind() + " " + namespace + "/" + name;
  }
}

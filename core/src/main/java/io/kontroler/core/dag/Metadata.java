package io.kontroler.core.dag;

import java.util.Map;
import java.util.Objects;

/** The part of Kubernetes ObjectMeta that Kontroler reads: name, namespace, labels, annotations. */
public record Metadata(
    String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {

  public static final String DEFAULT_NAMESPACE = "default";

  public Metadata {
    name = name == null ? "" : name;
    namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    labels = Map.copyOf(Objects.requireNonNullElse(labels, Map.of()));
    annotations = Map.copyOf(Objects.requireNonNullElse(annotations, Map.of()));
  }

  public static Metadata named(String namespace, String name) {
    return new Metadata(name, namespace, Map.of(), Map.of());
  }

  /** The key every scheduler record of this resource is partitioned by: {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }
}

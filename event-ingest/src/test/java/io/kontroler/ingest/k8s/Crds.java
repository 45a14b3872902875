package io.kontroler.ingest.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The CRDs of the Helm chart, read as plain trees. */
final class Crds {
  static final Path DIR = Path.of("..", "helm", "kontroler", "crds");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Crds() {}

  static Path file(ResourceKind kind) {
    return DIR.resolve(kind.plural() + ".yaml");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> crd(ResourceKind kind) {
    try {
      return YAML.readValue(Files.readString(file(kind)), Map.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> version(ResourceKind kind) {
    Map<String, Object> spec = (Map<String, Object>) crd(kind).get("spec");
    return ((List<Map<String, Object>>) spec.get("versions")).get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> schema(ResourceKind kind, String field) {
    Map<String, Object> schema = (Map<String, Object>) version(kind).get("schema");
    Map<String, Object> root = (Map<String, Object>) schema.get("openAPIV3Schema");
    return (Map<String, Object>) ((Map<String, Object>) root.get("properties")).get(field);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> properties(Map<String, Object> node) {
    Object props = node.get("properties");
    return props == null ? Map.of() : (Map<String, Map<String, Object>>) props;
  }

  static boolean open(Map<String, Object> node) {
    return Boolean.TRUE.equals(node.get("x-kubernetes-preserve-unknown-fields"))
        || node.get("additionalProperties") != null;
  }
}

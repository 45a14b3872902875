package io.kontroler.ingest.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.kontroler.core.dag.Metadata;
import io.kontroler.core.parse.DocumentParser;
import io.kontroler.core.parse.ParsedDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads custom resources as Kontroler documents, through the same parser as files and the API, so a
 * resource is accepted or refused exactly as its YAML would be.
 */
public final class Resources {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Resources() {}

  /** The resource's {@code apiVersion}, {@code kind}, metadata and spec, parsed. */
  public static ParsedDocument parse(GenericKubernetesResource resource) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("apiVersion", resource.getApiVersion());
    document.put("kind", resource.getKind());
    ObjectMeta meta = resource.getMetadata();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", meta.getName());
    metadata.put("namespace", meta.getNamespace());
    if (meta.getLabels() != null) {
      metadata.put("labels", meta.getLabels());
    }
    if (meta.getAnnotations() != null) {
      metadata.put("annotations", meta.getAnnotations());
    }
    document.put("metadata", metadata);
    document.put("spec", resource.getAdditionalProperties().get("spec"));
    try {
      return DocumentParser.parseOne(JSON.writeValueAsString(document));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected a resource that serialises to JSON", e);
    }
  }

  public static Metadata metadata(GenericKubernetesResource resource) {
    ObjectMeta meta = resource.getMetadata();
    return new Metadata(
        meta.getName(), meta.getNamespace(), meta.getLabels(), meta.getAnnotations());
  }

  /** {@code namespace/name}. */
  public static String key(GenericKubernetesResource resource) {
    return metadata(resource).key();
  }

  public static boolean deleting(GenericKubernetesResource resource) {
    return resource.getMetadata().getDeletionTimestamp() != null;
  }

  public static boolean hasFinalizer(GenericKubernetesResource resource, String finalizer) {
    List<String> finalizers = resource.getMetadata().getFinalizers();
    return finalizers != null && finalizers.contains(finalizer);
  }

  /**
   * Whether {@code now} differs from {@code before} in its status alone: same spec, labels,
   * annotations, finalizers and deletion; false for a resync, which changes nothing.
   */
  public static boolean onlyStatusChanged(
      GenericKubernetesResource before, GenericKubernetesResource now) {
    ObjectMeta a = before.getMetadata();
    ObjectMeta b = now.getMetadata();
    return Objects.equals(a.getLabels(), b.getLabels())
        && Objects.equals(a.getAnnotations(), b.getAnnotations())
        && Objects.equals(a.getFinalizers(), b.getFinalizers())
        && Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp())
        && sameJson(
            before.getAdditionalProperties().get("spec"), now.getAdditionalProperties().get("spec"))
        && !sameJson(status(before), status(now));
  }

  /** The resource's status as a map (empty when it has none). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> status(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  public static String statusString(GenericKubernetesResource resource, String field) {
    Object value = status(resource).get(field);
    return value == null ? null : value.toString();
  }

  /** Whether two JSON-like trees are equal as JSON (3 equals 3L). */
  public static boolean sameJson(Object a, Object b) {
    return Objects.equals(tree(a), tree(b));
  }

  private static JsonNode tree(Object value) {
    try {
      return JSON.readTree(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.kontroler.ingest.k8s;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the controller's resources: status through the status subresource and finalizers
 * through the resource, each as read-modify-write on the latest version, retried when the API
 * server reports a conflict.
 */
public final class KubeWriter {
  private static final Logger LOG = LoggerFactory.getLogger(KubeWriter.class);

  /** A conflict (a newer version was written meanwhile) is retried at once, 10 attempts in all. */
  private static final RetryPolicy<Object> CONFLICTS =
      RetryPolicy.builder()
          .handleIf(
              e ->
                  e instanceof KubernetesClientException k
                      && k.getCode() == HttpURLConnection.HTTP_CONFLICT)
          .withMaxAttempts(10)
          .onRetry(
              e -> LOG.debug("Conflict writing; retrying: {}", e.getLastException().getMessage()))
          .build();

  private final KubernetesClient client;

  public KubeWriter(KubernetesClient client) {
    this.client = client;
  }

  public KubernetesClient client() {
    return client;
  }

  /** Sets the status unless it is already equal; a resource that is gone is left alone. */
  public void status(ResourceKind kind, String namespace, String name, Map<String, Object> status) {
    writeWithRetry(
        kind,
        namespace,
        name,
        latest -> {
          if (Resources.sameJson(Resources.status(latest), status)) {
            return null;
          }
          latest.getAdditionalProperties().put("status", status);
          return latest;
        },
        true);
  }

  /**
   * Sets one field of the status, leaving the others as they are, unless it is already equal; a
   * resource that is gone is left alone.
   */
  public void statusField(
      ResourceKind kind, String namespace, String name, String field, Object value) {
    writeWithRetry(
        kind,
        namespace,
        name,
        latest -> {
          Map<String, Object> status = Resources.status(latest);
          if (Resources.sameJson(status.get(field), value)) {
            return null;
          }
          Map<String, Object> changed = new LinkedHashMap<>(status);
          changed.put(field, value);
          latest.getAdditionalProperties().put("status", changed);
          return latest;
        },
        true);
  }

  /** Adds {@code kind}'s finalizer unless present. */
  public void addFinalizer(ResourceKind kind, String namespace, String name) {
    writeWithRetry(
        kind,
        namespace,
        name,
        latest -> {
          if (Resources.hasFinalizer(latest, kind.finalizer()) || Resources.deleting(latest)) {
            return null;
          }
          List<String> finalizers = new ArrayList<>(finalizers(latest));
          finalizers.add(kind.finalizer());
          latest.getMetadata().setFinalizers(finalizers);
          return latest;
        },
        false);
  }

  /** Removes {@code kind}'s finalizer, letting a deleted resource go. */
  public void removeFinalizer(ResourceKind kind, String namespace, String name) {
    writeWithRetry(
        kind,
        namespace,
        name,
        latest -> {
          if (!Resources.hasFinalizer(latest, kind.finalizer())) {
            return null;
          }
          List<String> finalizers = new ArrayList<>(finalizers(latest));
          finalizers.remove(kind.finalizer());
          latest.getMetadata().setFinalizers(finalizers);
          return latest;
        },
        false);
  }

  private static List<String> finalizers(GenericKubernetesResource r) {
    List<String> finalizers = r.getMetadata().getFinalizers();
    return finalizers == null ? List.of() : finalizers;
  }

  /** {@code change} returns the resource to write, or null when nothing needs writing. */
  private void writeWithRetry(
      ResourceKind kind,
      String namespace,
      String name,
      Function<GenericKubernetesResource, GenericKubernetesResource> change,
      boolean statusOnly) {
    Resource<GenericKubernetesResource> handle =
        client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name);
    Failsafe.with(CONFLICTS).run(() -> write(kind, namespace, handle, change, statusOnly));
  }

  private void write(
      ResourceKind kind,
      String namespace,
      Resource<GenericKubernetesResource> handle,
      Function<GenericKubernetesResource, GenericKubernetesResource> change,
      boolean statusOnly) {
    GenericKubernetesResource latest = handle.get();
    if (latest == null) {
      return;
    }
    GenericKubernetesResource changed = change.apply(latest);
    if (changed == null) {
      return;
    }
    try {
      var target =
          client
              .genericKubernetesResources(kind.context())
              .inNamespace(namespace)
              .resource(changed);
      if (statusOnly) {
        target.updateStatus();
      } else {
        target.update();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }
}

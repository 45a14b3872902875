package io.kontroler.ingest.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kontroler.core.run.RunCommand;
import io.kontroler.ingest.InMemoryOutbox;
import io.kontroler.ingest.catalog.CatalogView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One ingest node's controller parts (outbox, catalog, the controller's runs) on fabric8's mock API
 * server (CRUD mode) with the chart's CRDs installed.
 */
public final class MockCluster implements AutoCloseable {
  public static final String NS = "default";

  public final KubernetesClient client;
  public final CatalogView catalog = new CatalogView();
  // submissions are answered at once, as the scheduler would on kontroler.dags
  public final InMemoryOutbox outbox = new InMemoryOutbox(catalog);
  private final KubernetesController controller;

  /** Installs the CRDs and starts a controller. */
  public MockCluster(KubernetesClient client) {
    this(client, true);
  }

  private MockCluster(KubernetesClient client, boolean start) {
    this.client = client;
    if (start) {
      installCrds(client);
      controller = controller();
      controller.start(Duration.ofSeconds(10));
    } else {
      controller = null;
    }
  }

  /** The parts of a node, for a test that starts controllers itself. */
  public static MockCluster parts(KubernetesClient client) {
    return new MockCluster(client, false);
  }

  /**
   * Installs the chart's CRDs. The first request of a JVM to the mock server loads the HTTP client
   * and may miss its 10 s connection timeout on a loaded machine; it is tried again then.
   */
  public static void installCrds(KubernetesClient client) {
    for (ResourceKind kind : ResourceKind.values()) {
      for (int attempt = 1; ; attempt++) {
        try (InputStream in = Files.newInputStream(Crds.file(kind))) {
          client.apiextensions().v1().customResourceDefinitions().load(in).create();
          break;
        } catch (IOException e) {
          throw new IllegalStateException(e);
        } catch (KubernetesClientException e) {
          if (e.getCode() == 409) {
            break; // created by the attempt that timed out
          }
          if (attempt == 3 || e.getCode() > 0) { // an answer of the server is no timeout
            throw e;
          }
        }
      }
    }
  }

  /** A new controller over this node's outbox and catalog; run events are applied by hand. */
  public KubernetesController controller() {
    return new KubernetesController(
        client, List.of(), outbox, catalog, Clock.systemUTC(), RunEventFeed.NONE);
  }

  /** The runs of the started controller, to apply run events to. */
  public OwnedRuns runs() {
    return controller.runs();
  }

  /** Hands a notification to the started controller, as its run-events feed would. */
  public void runEvent(RunCommand.Notification notification) {
    controller.onRunEvent(notification);
  }

  /** How many DAGs the started controller keeps a latest run of. */
  public int dagsWithLastRun() {
    return controller.dagsWithLastRun();
  }

  /** Creates a resource from a seed file of the test resources. */
  public GenericKubernetesResource apply(String seedFile) {
    try {
      return create(CrdSchemaTest.seed(seedFile));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public GenericKubernetesResource create(String yaml) {
    GenericKubernetesResource resource =
        Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    return resources(kindOf(resource)).resource(resource).create();
  }

  public GenericKubernetesResource get(ResourceKind kind, String name) {
    return resources(kind).withName(name).get();
  }

  /** Edits a resource as a user would, again on the latest version when the controller raced. */
  public void edit(
      ResourceKind kind, String name, UnaryOperator<GenericKubernetesResource> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        resources(kind).withName(name).edit(change);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  public void delete(ResourceKind kind, String name) {
    resources(kind).withName(name).delete();
  }

  public Map<String, Object> status(ResourceKind kind, String name) {
    GenericKubernetesResource r = get(kind, name);
    return r == null ? Map.of() : Resources.status(r);
  }

  public NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      resources(ResourceKind kind) {
    return client.genericKubernetesResources(kind.context()).inNamespace(NS);
  }

  private static ResourceKind kindOf(GenericKubernetesResource r) {
    for (ResourceKind kind : ResourceKind.values()) {
      if (kind.kind().equals(r.getKind())) {
        return kind;
      }
    }
    throw new IllegalArgumentException(r.getKind());
  }

  @Override
  public void close() {
    if (controller != null) {
      controller.close();
    }
  }
}

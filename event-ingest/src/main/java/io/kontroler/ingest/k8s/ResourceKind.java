package io.kontroler.ingest.k8s;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The custom resources the controller watches, all in {@code kontroler.greedykomodo/v1alpha1}. */
public enum ResourceKind {
  DAG("DAG", "dags"),
  DAG_TASK("DagTask", "dagtasks"),
  DAG_RUN("DagRun", "dagruns"),
  WORKFLOW("WorkFlow", "workflows");

  public static final String GROUP = "kontroler.greedykomodo";
  public static final String VERSION = "v1alpha1";

  private final String kind;
  private final String plural;

  ResourceKind(String kind, String plural) {
    this.kind = kind;
    this.plural = plural;
  }

  public String kind() {
    return kind;
  }

  public String plural() {
    return plural;
  }

  /** The finalizer the controller puts on resources of this kind. */
  public String finalizer() {
    return GROUP + "/" + plural;
  }

  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(GROUP)
        .withVersion(VERSION)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}

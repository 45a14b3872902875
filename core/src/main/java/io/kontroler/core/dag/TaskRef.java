package io.kontroler.core.dag;

/** A reference to one version of a DagTask in the DAG's namespace. */
public record TaskRef(String name, int version) {
  public TaskRef {
    name = name == null ? "" : name;
  }
}

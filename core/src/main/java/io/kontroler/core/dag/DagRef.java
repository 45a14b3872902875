package io.kontroler.core.dag;

import java.util.List;
import java.util.Objects;

/**
 * A sub-DAG task's reference ({@code dagRef}): the task starts a run of the DAG {@code name} in its
 * own namespace with {@code parameters} (values may hold templates) and ends as that run ends.
 */
public record DagRef(String name, List<Parameter> parameters) {
  public DagRef {
    name = name == null ? "" : name;
    parameters = List.copyOf(Objects.requireNonNullElse(parameters, List.of()));
  }

  /** One parameter passed to the child run; {@code value} may hold templates. */
  public record Parameter(String name, String value) {
    public Parameter {
      name = name == null ? "" : name;
      value = value == null ? "" : value;
    }
  }
}

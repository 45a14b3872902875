package io.kontroler.core.dag;

import java.util.List;
import java.util.Objects;

/** A request to run a DAG, with parameter overrides. */
public record DagRunSpec(String dagName, List<RunParameter> parameters) {
  public DagRunSpec {
    dagName = dagName == null ? "" : dagName;
    parameters = List.copyOf(Objects.requireNonNullElse(parameters, List.of()));
  }
}

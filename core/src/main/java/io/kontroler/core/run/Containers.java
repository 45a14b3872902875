package io.kontroler.core.run;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the fully resolved container of a task from the run's parameter values. */
final class Containers {
  private Containers() {}

  static ContainerSpec of(DagSpec dag, TaskSpec task, Map<String, ParameterValue> parameters) {
    List<EnvVar> env = new ArrayList<>(task.parameters().size());
    for (String name : task.parameters()) {
      ParameterValue value = parameters.get(name);
      if (value instanceof ParameterValue.FromSecret s) {
        env.add(EnvVar.fromSecret(name, s.secretName()));
      } else if (value instanceof ParameterValue.Literal l) {
        env.add(EnvVar.literal(name, l.value()));
      }
    }
    return new ContainerSpec(
        task.image(),
        task.command(),
        task.args(),
        task.script(),
        env,
        task.podTemplate(),
        dag.workspaceEnabled() ? dag.workspace() : null);
  }
}

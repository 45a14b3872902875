package io.kontroler.core.run;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the fully resolved container of a task: the run's parameter values as environment, after
 * {@code KONTROLER_DAG}, {@code KONTROLER_RUN_ID}, {@code KONTROLER_TASK} and {@code
 * KONTROLER_ATTEMPT}.
 */
final class Containers {
  private Containers() {}

  static ContainerSpec of(
      DagSpec dag,
      TaskSpec task,
      Map<String, ParameterValue> parameters,
      RunState run,
      int attempt) {
    List<EnvVar> env = new ArrayList<>(task.parameters().size() + 4);
    env.add(EnvVar.literal("KONTROLER_DAG", run.dag()));
    env.add(EnvVar.literal("KONTROLER_RUN_ID", run.runId()));
    env.add(EnvVar.literal("KONTROLER_TASK", task.name()));
    env.add(EnvVar.literal("KONTROLER_ATTEMPT", Integer.toString(attempt)));
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

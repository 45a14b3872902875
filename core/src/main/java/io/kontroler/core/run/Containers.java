package io.kontroler.core.run;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.TaskEnv;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.lang.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the fully resolved container of a task: {@code KONTROLER_DAG}, {@code KONTROLER_RUN_ID},
 * {@code KONTROLER_TASK} and {@code KONTROLER_ATTEMPT}, the run's parameter values as environment,
 * then the task's own {@code env}; templates in command, args, script and env values replaced by
 * their values, so that the executor runs final strings; and the names of the declared outputs.
 */
final class Containers {
  private Containers() {}

  static ContainerSpec of(
      DagSpec dag,
      TaskSpec task,
      Map<String, ParameterValue> parameters,
      RunState run,
      int attempt,
      RunValues values) {
    return of(dag, task, task.name(), parameters, run, attempt, values);
  }

  /** The same for {@code taskName}: the task, or one instance of it ({@code task[i]}). */
  static ContainerSpec of(
      DagSpec dag,
      TaskSpec task,
      String taskName,
      Map<String, ParameterValue> parameters,
      RunState run,
      int attempt,
      RunValues values) {
    List<EnvVar> env = new ArrayList<>(task.parameters().size() + task.env().size() + 4);
    env.add(EnvVar.literal("KONTROLER_DAG", run.dag()));
    env.add(EnvVar.literal("KONTROLER_RUN_ID", run.runId()));
    env.add(EnvVar.literal("KONTROLER_TASK", taskName));
    env.add(EnvVar.literal("KONTROLER_ATTEMPT", Integer.toString(attempt)));
    for (String name : task.parameters()) {
      ParameterValue value = parameters.get(name);
      if (value instanceof ParameterValue.FromSecret s) {
        env.add(EnvVar.fromSecret(name, s.secretName()));
      } else if (value instanceof ParameterValue.Literal l) {
        env.add(EnvVar.literal(name, l.value()));
      }
    }
    for (TaskEnv e : task.env()) {
      env.add(EnvVar.literal(e.name(), values.render(e.value())));
    }
    return new ContainerSpec(
        task.image(),
        renderAll(task.command(), values),
        renderAll(task.args(), values),
        values.render(task.script()),
        env,
        task.podTemplate(),
        dag.workspaceEnabled() ? dag.workspace() : null,
        task.outputs());
  }

  private static List<String> renderAll(List<String> texts, RunValues values) {
    if (texts == null || !anyTemplate(texts)) {
      return texts;
    }
    List<String> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      out.add(values.render(text));
    }
    return out;
  }

  private static boolean anyTemplate(List<String> texts) {
    for (String text : texts) {
      if (Template.isTemplate(text)) {
        return true;
      }
    }
    return false;
  }
}

package io.kontroler.core.run;

import io.kontroler.core.dag.PodTemplate;
import io.kontroler.core.dag.Workspace;
import java.util.List;
import java.util.Objects;

/**
 * Everything an executor needs to run one attempt: the task's container, its environment (from the
 * run's parameters) and pod settings, and the run's workspace claim when the DAG has one. Command,
 * args, script and env values are final strings (templates resolved); {@code outputs} are the names
 * the task declares.
 */
public record ContainerSpec(
    String image,
    List<String> command,
    List<String> args,
    String script,
    List<EnvVar> env,
    PodTemplate podTemplate,
    Workspace workspace,
    List<String> outputs) {

  public ContainerSpec {
    command = command == null ? null : List.copyOf(command);
    args = List.copyOf(Objects.requireNonNullElse(args, List.of()));
    env = List.copyOf(Objects.requireNonNullElse(env, List.of()));
    podTemplate = Objects.requireNonNullElse(podTemplate, PodTemplate.EMPTY);
    outputs = List.copyOf(Objects.requireNonNullElse(outputs, List.of()));
  }

  public ContainerSpec(
      String image,
      List<String> command,
      List<String> args,
      String script,
      List<EnvVar> env,
      PodTemplate podTemplate,
      Workspace workspace) {
    this(image, command, args, script, env, podTemplate, workspace, List.of());
  }
}

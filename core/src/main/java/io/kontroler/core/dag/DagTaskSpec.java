package io.kontroler.core.dag;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * The spec of a reusable DagTask: the fields of an inline task without {@code name}, {@code
 * runAfter} and {@code taskRef}. {@code description} carries the optional {@code spec.name} that
 * the original samples set. The workflow-language fields ({@code env}, {@code outputs}, {@code
 * when}, {@code trigger}, {@code allowFailure}) mean what they mean on {@link TaskSpec}; a task
 * that refers to the DagTask and sets one itself wins.
 */
public record DagTaskSpec(
    String description,
    String image,
    List<String> command,
    List<String> args,
    String script,
    Backoff backoff,
    Conditional conditional,
    List<String> parameters,
    PodTemplate podTemplate,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TaskEnv> env,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> outputs,
    String when,
    TriggerRule trigger,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowFailure) {

  public DagTaskSpec {
    command = command == null ? null : List.copyOf(command);
    args = List.copyOf(Objects.requireNonNullElse(args, List.of()));
    backoff = Objects.requireNonNullElse(backoff, Backoff.NONE);
    conditional = Objects.requireNonNullElse(conditional, Conditional.DISABLED);
    parameters = List.copyOf(Objects.requireNonNullElse(parameters, List.of()));
    podTemplate = Objects.requireNonNullElse(podTemplate, PodTemplate.EMPTY);
    env = List.copyOf(Objects.requireNonNullElse(env, List.of()));
    outputs = List.copyOf(Objects.requireNonNullElse(outputs, List.of()));
  }

  /** A DagTask as the original language wrote it, without the workflow-language fields. */
  public DagTaskSpec(
      String description,
      String image,
      List<String> command,
      List<String> args,
      String script,
      Backoff backoff,
      Conditional conditional,
      List<String> parameters,
      PodTemplate podTemplate) {
    this(
        description,
        image,
        command,
        args,
        script,
        backoff,
        conditional,
        parameters,
        podTemplate,
        List.of(),
        List.of(),
        null,
        null,
        false);
  }
}

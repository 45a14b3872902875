package io.kontroler.core.dag;

import java.util.List;
import java.util.Objects;

/**
 * One task of a DAG as written: either inline (image, command or script …) or a {@code taskRef} to
 * a DagTask version. {@link io.kontroler.core.validate.DagValidator} resolves references.
 */
public record TaskSpec(
    String name,
    String image,
    List<String> command,
    List<String> args,
    String script,
    List<String> runAfter,
    Backoff backoff,
    Conditional conditional,
    List<String> parameters,
    PodTemplate podTemplate,
    TaskRef taskRef) {

  public TaskSpec {
    name = name == null ? "" : name;
    command = command == null ? null : List.copyOf(command);
    args = List.copyOf(Objects.requireNonNullElse(args, List.of()));
    runAfter = List.copyOf(Objects.requireNonNullElse(runAfter, List.of()));
    backoff = Objects.requireNonNullElse(backoff, Backoff.NONE);
    conditional = Objects.requireNonNullElse(conditional, Conditional.DISABLED);
    parameters = List.copyOf(Objects.requireNonNullElse(parameters, List.of()));
    podTemplate = Objects.requireNonNullElse(podTemplate, PodTemplate.EMPTY);
  }

  /** An inline task with only what a test usually needs. */
  public static TaskSpec of(
      String name, String image, List<String> command, List<String> runAfter) {
    return new TaskSpec(
        name, image, command, List.of(), null, runAfter, null, null, null, null, null);
  }

  public TaskSpec withBackoff(Backoff value) {
    return new TaskSpec(
        name,
        image,
        command,
        args,
        script,
        runAfter,
        value,
        conditional,
        parameters,
        podTemplate,
        taskRef);
  }

  public TaskSpec withConditional(Conditional value) {
    return new TaskSpec(
        name,
        image,
        command,
        args,
        script,
        runAfter,
        backoff,
        value,
        parameters,
        podTemplate,
        taskRef);
  }

  public TaskSpec withParameters(List<String> value) {
    return new TaskSpec(
        name,
        image,
        command,
        args,
        script,
        runAfter,
        backoff,
        conditional,
        value,
        podTemplate,
        taskRef);
  }

  public TaskSpec withPodTemplate(PodTemplate value) {
    return new TaskSpec(
        name,
        image,
        command,
        args,
        script,
        runAfter,
        backoff,
        conditional,
        parameters,
        value,
        taskRef);
  }

  /** This task with the body of a DagTask version in place of its {@code taskRef}. */
  public TaskSpec resolvedWith(DagTaskSpec body) {
    return new TaskSpec(
        name,
        body.image(),
        body.command(),
        body.args(),
        body.script(),
        runAfter,
        body.backoff(),
        body.conditional(),
        body.parameters(),
        body.podTemplate(),
        taskRef);
  }

  public boolean isReference() {
    return taskRef != null;
  }
}

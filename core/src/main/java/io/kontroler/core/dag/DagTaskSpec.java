package io.kontroler.core.dag;

import java.util.List;
import java.util.Objects;

/**
 * The spec of a reusable DagTask: the fields of an inline task without {@code name}, {@code
 * runAfter} and {@code taskRef}. {@code description} carries the optional {@code spec.name} that
 * the original samples set.
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
    PodTemplate podTemplate) {

  public DagTaskSpec {
    command = command == null ? null : List.copyOf(command);
    args = List.copyOf(Objects.requireNonNullElse(args, List.of()));
    backoff = Objects.requireNonNullElse(backoff, Backoff.NONE);
    conditional = Objects.requireNonNullElse(conditional, Conditional.DISABLED);
    parameters = List.copyOf(Objects.requireNonNullElse(parameters, List.of()));
    podTemplate = Objects.requireNonNullElse(podTemplate, PodTemplate.EMPTY);
  }
}

package io.kontroler.core.validate;

import java.util.List;

/** The outcome of validating a resource: the problems, and the value when there are none. */
public record Validated<T>(T value, List<Problem> problems) {
  public Validated {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}

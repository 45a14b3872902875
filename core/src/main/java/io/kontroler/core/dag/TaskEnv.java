package io.kontroler.core.dag;

/**
 * An environment variable a task sets itself ({@code env: [{name, value}]}); {@code value} may hold
 * templates ({@code {{ params.day }}}), resolved when the task is launched.
 */
public record TaskEnv(String name, String value) {
  public TaskEnv {
    name = name == null ? "" : name;
    value = value == null ? "" : value;
  }
}

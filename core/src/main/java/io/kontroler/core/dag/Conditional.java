package io.kontroler.core.dag;

import java.util.List;
import java.util.Objects;

/** When enabled, only failures with one of {@code retryCodes} as exit code are retried. */
public record Conditional(boolean enabled, List<Integer> retryCodes) {

  public static final Conditional DISABLED = new Conditional(false, List.of());

  public Conditional {
    retryCodes = List.copyOf(Objects.requireNonNullElse(retryCodes, List.of()));
  }
}

package io.kontroler.executor.backend;

import org.slf4j.MDC;

/**
 * Puts an attempt ({@code dag}, {@code run}, {@code task}, {@code attempt}) in the logging context.
 */
public final class Mdc {
  private Mdc() {}

  /** Runs {@code action} with {@code id} in the MDC, and removes it afterwards. */
  public static void with(AttemptId id, Runnable action) {
    MDC.put("dag", id.dag());
    MDC.put("run", id.runId());
    MDC.put("task", id.task());
    MDC.put("attempt", String.valueOf(id.attempt()));
    try {
      action.run();
    } finally {
      MDC.remove("dag");
      MDC.remove("run");
      MDC.remove("task");
      MDC.remove("attempt");
    }
  }
}

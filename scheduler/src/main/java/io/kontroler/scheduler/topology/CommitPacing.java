package io.kontroler.scheduler.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * When the scheduler asks Kafka Streams for a commit outside the commit interval. Under
 * exactly-once, executors see a launch only once its transaction commits. While the scheduler keeps
 * up with its input (the record being processed was written at most {@code maxLag} ago), a record
 * that launches a task or changes a run's phase asks for a commit at once, so a hop does not wait
 * for the commit interval. When it falls behind (a burst), commits follow the commit interval, so
 * that many records share one transaction instead of paying one each; prompt commits resume once it
 * has caught up.
 *
 * @param prompt ask for commits at all (exactly-once); false leaves commits to the interval
 * @param maxLag how old the record being processed may be for a prompt commit
 */
public record CommitPacing(boolean prompt, Duration maxLag) {
  /** Commits follow the commit interval only (at-least-once). */
  public static final CommitPacing INTERVAL_ONLY = new CommitPacing(false, Duration.ZERO);

  public CommitPacing {
    Objects.requireNonNull(maxLag, "maxLag");
    if (maxLag.isNegative()) {
      throw new IllegalArgumentException("Expected a lag >= 0, but got " + maxLag);
    }
  }

  /** Prompt commits under exactly-once; interval-only otherwise. */
  public static CommitPacing of(boolean exactlyOnce, Duration maxLag) {
    return exactlyOnce ? new CommitPacing(true, maxLag) : INTERVAL_ONLY;
  }
}

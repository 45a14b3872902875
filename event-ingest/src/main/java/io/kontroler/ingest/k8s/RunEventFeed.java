package io.kontroler.ingest.k8s;

import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.run.RunCommand;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the controller reads {@code kontroler.run-events}: from the beginning, each time it starts
 * leading, once it knows which runs its resources own.
 */
@FunctionalInterface
public interface RunEventFeed {
  /** No feed: notifications are applied by hand (tests). */
  RunEventFeed NONE = (handler, timeout) -> Optional.empty();

  /**
   * Starts handing every notification, from the beginning of the topic, to {@code handler}, and
   * returns once what the topic held was handed over; the returned loop reads on until closed.
   *
   * @throws IllegalStateException when the topic was not read within {@code timeout}
   */
  Optional<SupervisedLoop> follow(Consumer<RunCommand.Notification> handler, Duration timeout)
      throws InterruptedException;
}

package io.kontroler.executor;

import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.executor.backend.Phase;
import java.time.Instant;

/**
 * What the worker knows of one attempt in flight: its launch (null when adopted from an earlier
 * worker), its last phase, whether its acceptance and its start were published, and when a refused
 * start is retried.
 */
final class Tracked {
  final LaunchTask launch;
  Phase phase = Phase.Queued;
  boolean startPublished;

  /** The broker has this executor's TaskAccepted of the attempt. */
  boolean accepted;

  Instant retryAt;

  Tracked(LaunchTask launch) {
    this.launch = launch;
  }
}

package io.kontroler.executor;

import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.PhaseInfo;
import java.time.Instant;

/**
 * What the {@link AttemptTracker} decided the worker does next: a call on the backend, a message to
 * publish, or a note for the log. The {@link WorkerLoop} carries them out in order and reports back
 * what came of them (a phase, an acknowledgement).
 */
sealed interface Action {
  /** The attempt the action is about, for the logging context; null for a whole run. */
  AttemptId id();

  /**
   * Start (or adopt) the launch, read from {@code partition} of the launches topic, on the backend;
   * its phase goes back to the tracker.
   */
  record Start(LaunchTask launch, int partition) implements Action {
    @Override
    public AttemptId id() {
      return AttemptId.of(launch);
    }
  }

  /** Ask the backend where the attempt stands; its phase goes back to the tracker. */
  record Check(AttemptId id) implements Action {}

  /** Stop the attempt on the backend; its end comes back as a change. */
  record Kill(AttemptId id, String reason) implements Action {}

  /** The run ended: let the backend delete what it held. */
  record Release(String dag, String runId) implements Action {
    @Override
    public AttemptId id() {
      return null;
    }
  }

  /** The attempt's outcome is on the broker: let the backend forget it. */
  record Finish(AttemptId id) implements Action {}

  /** Publish TaskAccepted for an attempt adopted, with no launch offset to hold back. */
  record Announce(AttemptId id) implements Action {}

  /** Publish TaskStarted. */
  record PublishStarted(AttemptId id, Instant at) implements Action {}

  /** Publish how the attempt ended; the acknowledgement goes back to the tracker. */
  record PublishEnded(AttemptId id, PhaseInfo phase, Instant at) implements Action {}

  /** Nothing to do but say so in the log. */
  record Note(AttemptId id, Noted what, String detail) implements Action {}

  /** What a {@link Note} tells. */
  enum Noted {
    /** A launch read again while its attempt is in flight: it is not started twice. */
    LAUNCH_DELIVERED_AGAIN,
    /** A kill of an attempt this worker does not hold. */
    NOT_IN_FLIGHT,
    /** A kill read before its launch: the launch will not start. */
    KILLED_BEFORE_LAUNCH,
    /** The backend refused the start for now: it is started again later. */
    START_REFUSED,
    /** An attempt an earlier worker left running is followed from now on. */
    ADOPTED,
    /** The attempt's partition moved to another worker, which adopts it. */
    HANDED_OVER,
    /** The attempt ended; its outcome is published. */
    ENDED
  }
}

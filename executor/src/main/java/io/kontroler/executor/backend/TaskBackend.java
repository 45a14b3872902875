package io.kontroler.executor.backend;

import io.kontroler.core.run.RunCommand.LaunchTask;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs attempts somewhere: the seam between the executor worker and Kubernetes or local processes,
 * in the shape of Flyte's plugin executor (start, check, kill). Backends are idempotent: starting
 * an attempt that already exists adopts it. Calls come from one worker thread; the listener may be
 * called from any thread.
 */
public interface TaskBackend extends AutoCloseable {

  /** Starts {@code launch}, or adopts it when it runs already, and says where it stands. */
  PhaseInfo start(LaunchTask launch);

  /** Where the attempt stands now. */
  PhaseInfo check(AttemptId attempt);

  /** Stops the attempt and whatever it started; its phase becomes a KILLED failure. */
  void kill(AttemptId attempt, String reason);

  /** The attempt's outcome has been published: let go of it. */
  void finish(AttemptId attempt);

  /** The run ended: delete what it held (its workspace). */
  void release(String dag, String runId);

  /**
   * Attempts that run already, left by an earlier worker, of the DAGs {@code ownsDag} accepts and
   * whose outcome was not published yet.
   */
  List<AttemptId> adopt(Predicate<String> ownsDag);

  /** Called with an attempt whose phase may have changed; {@link #check} tells how. */
  void onChange(Consumer<AttemptId> listener);

  @Override
  void close();
}

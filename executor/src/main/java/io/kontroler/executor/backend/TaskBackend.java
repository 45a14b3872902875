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

  /**
   * Starts {@code launch}, read from {@code partition} of the launches topic, or adopts it when it
   * runs already, and says where it stands. The partition is kept with the attempt, for {@link
   * #adopt}: a launch's record key is the scheduler's choice, so it is where the launch was read,
   * not its DAG, that says which worker follows it.
   */
  PhaseInfo start(LaunchTask launch, int partition);

  /** Where the attempt stands now. */
  PhaseInfo check(AttemptId attempt);

  /** Stops the attempt and whatever it started; its phase becomes a KILLED failure. */
  void kill(AttemptId attempt, String reason);

  /** The attempt's outcome has been published: let go of it. */
  void finish(AttemptId attempt);

  /** The run ended: delete what it held (its workspace). */
  void release(String dag, String runId);

  /**
   * Attempts that run already, left by an earlier worker, whose outcome was not published yet and
   * that {@code owns} accepts (a backend may hand over some whatever their partition, such as the
   * processes an earlier backend on its data directory left).
   */
  List<Adoptable> adopt(Predicate<Adoptable> owns);

  /** Called with an attempt whose phase may have changed; {@link #check} tells how. */
  void onChange(Consumer<AttemptId> listener);

  @Override
  void close();
}

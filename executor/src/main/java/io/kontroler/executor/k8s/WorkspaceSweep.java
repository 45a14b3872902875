package io.kontroler.executor.k8s;

import io.kontroler.broker.loop.SupervisedLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The session of the supervised loop {@value #LOOP}: every {@code interval}, deletes the workspace
 * claims that outlived their run ({@link KubernetesBackend#deleteOrphanWorkspaces}). Each step
 * returns within about a second, so that readiness sees the loop progress while it waits.
 */
public final class WorkspaceSweep implements SupervisedLoop.Session {
  public static final String LOOP = "executor-workspaces";
  private static final long IDLE_STEP_MS = 500;

  private final KubernetesBackend backend;
  private final Duration interval;
  private final Duration grace;
  private final Clock clock;
  private final Semaphore wake = new Semaphore(0);
  private Instant next = Instant.MIN;

  public WorkspaceSweep(KubernetesBackend backend, Duration interval, Duration grace, Clock clock) {
    this.backend = backend;
    this.interval = interval;
    this.grace = grace;
    this.clock = clock;
  }

  @Override
  public void step() throws InterruptedException {
    Instant now = clock.instant();
    if (now.isBefore(next)) {
      wake.tryAcquire(IDLE_STEP_MS, TimeUnit.MILLISECONDS);
      return;
    }
    backend.deleteOrphanWorkspaces(now, grace);
    next = now.plus(interval);
  }

  @Override
  public void wakeup() {
    wake.release();
  }
}

package io.kontroler.scheduler.topology;

import io.kontroler.core.run.RunEvent.LeaseExpired;
import io.kontroler.core.run.RunState;
import io.kontroler.core.run.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attempt leases of one partition: an executor that holds attempts must be heard of (a heartbeat,
 * or an acceptance) at least once per lease; when it is not, each attempt it holds is failed as
 * lost ({@link LeaseExpired}: a KillTask, then the retry) and the executor is no longer watched.
 *
 * <p>When it was last heard of is kept in memory only, on this instance's wall clock, and measured
 * from the moment this stream task started here at the earliest: every executor gets one full lease
 * of grace after a start, a failover or a restore. The stored times come from the previous owner's
 * clock and say nothing of the heartbeats sent while the partition had no owner (a failover takes
 * seconds: the session timeout, the restore); without the grace, every attempt of every executor
 * would be failed as lost at the first check after a failover that took longer than the lease, and
 * run again while it still runs. The executors to watch are kept in a store, so a new owner knows
 * them all.
 */
final class LeaseKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  private final RunDriver driver;
  private final long leaseMs;
  private final long startedAt;
  private final Map<String, Long> lastHeard = new HashMap<>();

  /**
   * @param startedAt when this stream task started here (wall clock): the grace starts then
   */
  LeaseKeeper(RunDriver driver, Duration lease, long startedAt) {
    this.driver = driver;
    this.leaseMs = lease.toMillis();
    this.startedAt = startedAt;
  }

  /** {@code executor} was heard of at {@code now}. */
  void heard(String executor, long now) {
    lastHeard.put(executor, now);
    driver.leases().watch(executor, now);
  }

  /** Fails the attempts of the executors not heard of for longer than the lease. */
  void expire(long now) {
    for (String executor : driver.leases().watched()) {
      long since = Math.max(startedAt, lastHeard.getOrDefault(executor, startedAt));
      if (now - since > leaseMs) {
        expire(executor, now);
      }
    }
  }

  private void expire(String executor, long now) {
    List<KeyValue<String, HeldAttempt>> held = driver.leases().heldBy(executor);
    if (!held.isEmpty()) {
      LOG.warn(
          "Executor {} not heard of for more than {} ms: {} attempt(s) lost",
          executor,
          leaseMs,
          held.size());
    }
    for (KeyValue<String, HeldAttempt> entry : held) {
      lose(executor, entry.value, now);
      driver.leases().release(entry.key);
    }
    driver.leases().forget(executor);
    lastHeard.remove(executor);
  }

  private void lose(String executor, HeldAttempt a, long now) {
    RunState run = driver.stores().runs().get(a.runId());
    if (run == null) {
      return;
    }
    LeaseExpired event =
        new LeaseExpired(
            a.runId(),
            a.dag(),
            a.task(),
            a.attempt(),
            executor,
            leaseMs,
            Instant.ofEpochMilli(now));
    driver.timersFiring(now);
    try {
      Transition t = driver.apply(driver.plan(run.dag(), run.dagVersion()), run, event, now);
      if (!t.isRejected()) {
        driver.metrics().attemptLost();
      }
    } catch (RuntimeException e) {
      driver.internalError(e, now);
    }
  }
}

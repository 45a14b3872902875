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
 * <p>Silence is measured on the partition's own timeline, the timestamps of the records read from
 * {@code task-outcomes} (set by the broker when the topic has {@code message.timestamp.type =
 * LogAppendTime}, as Kontroler creates it): an executor is silent when records appended a lease
 * after its last one have been read, and none of its. A scheduler that falls behind its partition
 * (a starved CPU, a long restore, a backlog after a failover) reads the heartbeats of that time
 * late, but in order, so it never takes a late heartbeat for a missing one; a wall clock would.
 * Live executors heartbeat every second to every partition, so the timeline moves on as long as one
 * of them lives.
 *
 * <p>When no record at all arrives for {@value #QUIET_LEASES} leases of wall-clock time (no
 * executor lives, or the partition can not be read), the executors not heard of for a lease on the
 * wall clock lose their attempts too, so that they are reported lost even with no executor left.
 *
 * <p>Every executor gets one full lease of grace after this stream task starts here (a start, a
 * failover or a restore), counted from the first record it reads: the stores say which executors
 * hold attempts, not when they were last heard of. The executors to watch are kept in a store, so a
 * new owner knows them all.
 */
final class LeaseKeeper {
  /** Leases of wall-clock time with no record at all before the wall clock decides alone. */
  static final int QUIET_LEASES = 3;

  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  private final RunDriver driver;
  private final long leaseMs;
  private final long startedAt;
  private final Map<String, Heard> lastHeard = new HashMap<>();

  /** When the first record after the start was appended, the latest one, and when it was read. */
  private long firstRecordAt = Long.MIN_VALUE;

  private long latestRecordAt = Long.MIN_VALUE;
  private long lastReadAt;

  /** When an executor was last heard of: its record's timestamp, and the wall clock then. */
  private record Heard(long recordAt, long readAt) {}

  /**
   * @param startedAt when this stream task started here (wall clock): the grace starts then
   */
  LeaseKeeper(RunDriver driver, Duration lease, long startedAt) {
    this.driver = driver;
    this.leaseMs = lease.toMillis();
    this.startedAt = startedAt;
    this.lastReadAt = startedAt;
  }

  /** A record appended at {@code recordAt} was read at {@code now} (wall clock). */
  void observed(long recordAt, long now) {
    if (firstRecordAt == Long.MIN_VALUE) {
      firstRecordAt = recordAt;
    }
    latestRecordAt = Math.max(latestRecordAt, recordAt);
    lastReadAt = Math.max(lastReadAt, now);
  }

  /**
   * {@code executor} was heard of in a record appended at {@code recordAt}, read at {@code now}.
   */
  void heard(String executor, long recordAt, long now) {
    observed(recordAt, now);
    Heard before = lastHeard.get(executor);
    lastHeard.put(
        executor, new Heard(before == null ? recordAt : Math.max(before.recordAt, recordAt), now));
    driver.leases().watch(executor, now);
  }

  /** Fails the attempts of the executors not heard of for longer than the lease. */
  void expire(long now) {
    boolean quiet = now - lastReadAt > QUIET_LEASES * leaseMs;
    for (String executor : driver.leases().watched()) {
      if (silent(lastHeard.get(executor), now, quiet)) {
        expire(executor, now);
      }
    }
  }

  private boolean silent(Heard heard, long now, boolean quiet) {
    if (firstRecordAt != Long.MIN_VALUE) {
      long since = Math.max(firstRecordAt, heard == null ? firstRecordAt : heard.recordAt);
      if (latestRecordAt - since > leaseMs) {
        return true;
      }
    }
    long sinceRead = Math.max(startedAt, heard == null ? startedAt : heard.readAt);
    return quiet && now - sinceRead > leaseMs;
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

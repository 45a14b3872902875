package io.kontroler.core.message;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a shared pool's owner decides on: the records of {@code kontroler.pools}, keyed by pool
 * name, read by the scheduler's pool state machine (one owner per pool, whatever DAGs use it). Its
 * decisions go out as {@link Inbound.SlotGranted} (to the holder's DAG on {@code
 * kontroler.commands}) and {@link PoolStatus} (on {@code kontroler.run-events}, keyed {@code
 * pool:<name>}).
 */
public sealed interface PoolMessage {
  /** The pool's name: the key of every record of the topic. */
  String pool();

  /** The key of {@link PoolStatus} on the run-events topic. */
  static String statusKey(String pool) {
    return "pool:" + pool;
  }

  /** An admin gives {@code pool} {@code slots} slots; 0 holds every request until raised. */
  record PoolSlotsSet(String pool, int slots, String user, Instant at) implements PoolMessage {}

  /**
   * Attempt {@code attempt} of {@code task} in run {@code runId} of {@code dag} is ready to start
   * and waits for a slot; requests are granted in the order they arrive.
   */
  record SlotRequested(String pool, String dag, String runId, String task, int attempt, Instant at)
      implements PoolMessage {}

  /**
   * The attempt gives back its slot, or its place in the queue when it was still waiting: it ended,
   * was cancelled, or no longer needs one. Releasing what is not held changes nothing.
   */
  record SlotReleased(String pool, String dag, String runId, String task, int attempt, Instant at)
      implements PoolMessage {}

  /** The holder's attempt is still active: its lease runs on from {@code at}. */
  record SlotRenewed(String pool, String dag, String runId, String task, int attempt, Instant at)
      implements PoolMessage {}

  /**
   * Where {@code pool} stands after a change, written by its owner: its {@code slots}, the attempts
   * holding one ({@code holders}, at most {@code slots}) and how many wait.
   */
  record PoolStatus(
      String pool, int slots, List<PoolHolder> holders, int waiting, boolean defined, Instant at)
      implements PoolMessage {
    public PoolStatus {
      holders = List.copyOf(Objects.requireNonNullElse(holders, List.of()));
    }
  }

  /** One slot's holder and until when its lease runs unless renewed. */
  record PoolHolder(
      String dag, String runId, String task, int attempt, Instant since, Instant leaseUntil) {}
}

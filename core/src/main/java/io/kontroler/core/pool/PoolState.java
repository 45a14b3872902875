package io.kontroler.core.pool;

import io.kontroler.core.message.PoolMessage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where one shared pool stands, as its owner keeps it: how many slots it has ({@code slots}, 0 and
 * {@code defined} false until an admin sets them), who holds one ({@code holders}, in the order
 * they were granted) and who waits ({@code queue}, in the order the requests arrived). Between two
 * messages, a pool never has a free slot and a waiting request at once: a request waits only while
 * {@code holders} is at least {@code slots}.
 */
public record PoolState(
    String pool, int slots, boolean defined, List<Holder> holders, List<Waiter> queue) {

  public PoolState {
    Objects.requireNonNull(pool, "pool");
    holders = List.copyOf(Objects.requireNonNullElse(holders, List.of()));
    queue = List.copyOf(Objects.requireNonNullElse(queue, List.of()));
  }

  /** A pool nobody defined yet: 0 slots, every request waits. */
  public static PoolState undefined(String pool) {
    return new PoolState(pool, 0, false, List.of(), List.of());
  }

  /** A slot's holder and until when its lease runs unless renewed. */
  public record Holder(SlotClaim claim, Instant since, Instant leaseUntil) {}

  /** A request waiting for a slot since {@code since}. */
  public record Waiter(SlotClaim claim, Instant since) {}

  /** The status record of this state at {@code at}: its holders and how many wait. */
  public PoolMessage.PoolStatus status(Instant at) {
    return new PoolMessage.PoolStatus(
        pool,
        slots,
        holders.stream()
            .map(
                h ->
                    new PoolMessage.PoolHolder(
                        h.claim().dag(),
                        h.claim().runId(),
                        h.claim().task(),
                        h.claim().attempt(),
                        h.since(),
                        h.leaseUntil()))
            .toList(),
        queue.size(),
        defined,
        at);
  }

  /** The earliest time a lease runs out, or null when nobody holds a slot. */
  public Instant nextExpiry() {
    Instant first = null;
    for (Holder h : holders) {
      if (first == null || h.leaseUntil().isBefore(first)) {
        first = h.leaseUntil();
      }
    }
    return first;
  }

  boolean holds(SlotClaim claim) {
    return holders.stream().anyMatch(h -> h.claim().equals(claim));
  }

  boolean waits(SlotClaim claim) {
    return queue.stream().anyMatch(w -> w.claim().equals(claim));
  }
}

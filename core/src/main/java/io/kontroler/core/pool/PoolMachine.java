package io.kontroler.core.pool;

import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import io.kontroler.core.message.PoolMessage.SlotReleased;
import io.kontroler.core.message.PoolMessage.SlotRenewed;
import io.kontroler.core.message.PoolMessage.SlotRequested;
import io.kontroler.core.pool.PoolState.Holder;
import io.kontroler.core.pool.PoolState.Waiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A shared pool's state machine: {@code (pool state, message or lease tick at t) -> (new state,
 * grants, status)}. Pure and deterministic: time comes from the message ({@code at}) or the tick,
 * never a clock.
 *
 * <ul>
 *   <li>Requests are granted in the order they arrive while fewer than {@code slots} hold one; the
 *       others wait in that order.
 *   <li>A request of an attempt that holds or waits already, a release or renewal of one that does
 *       not, changes nothing: the same attempt never holds two slots, whatever is delivered twice.
 *   <li>A release frees the holder's slot (the next in the queue gets it) or removes a waiting
 *       request from the queue.
 *   <li>New {@code slots} apply at once: more slots grant to the queue now; fewer take no slot
 *       away, they only stop new grants until enough holders are gone.
 *   <li>A lease runs for {@code lease} from its grant or latest renewal; a holder whose lease ran
 *       out by a tick loses its slot, which goes to the next in the queue.
 * </ul>
 */
public final class PoolMachine {
  private PoolMachine() {}

  /**
   * Applies {@code message} to {@code state} (null: the pool is unknown yet, as if undefined). A
   * {@link PoolMessage.PoolStatus} is the owner's own output and changes nothing.
   */
  public static PoolDecision apply(PoolState state, PoolMessage message, Duration lease) {
    PoolState s = state != null ? state : PoolState.undefined(message.pool());
    if (message instanceof SlotRequested m) {
      return request(s, SlotClaim.of(m), m.at(), lease);
    }
    if (message instanceof SlotReleased m) {
      return release(s, SlotClaim.of(m), m.at(), lease);
    }
    if (message instanceof SlotRenewed m) {
      return renew(s, SlotClaim.of(m), m.at(), lease);
    }
    if (message instanceof PoolSlotsSet m) {
      return setSlots(s, m.slots(), m.at(), lease);
    }
    return unchanged(s);
  }

  /** Frees the slots whose lease ran out by {@code now} and grants them to the queue. */
  public static PoolDecision expire(PoolState state, Instant now, Duration lease) {
    List<Holder> kept = new ArrayList<>();
    for (Holder h : state.holders()) {
      if (h.leaseUntil().isAfter(now)) {
        kept.add(h);
      }
    }
    if (kept.size() == state.holders().size()) {
      return unchanged(state);
    }
    return fill(withHolders(state, kept, state.queue()), now, lease);
  }

  private static PoolDecision request(PoolState s, SlotClaim claim, Instant at, Duration lease) {
    if (s.holds(claim) || s.waits(claim)) {
      return unchanged(s);
    }
    List<Waiter> queue = new ArrayList<>(s.queue());
    queue.add(new Waiter(claim, at));
    return fill(withHolders(s, s.holders(), queue), at, lease);
  }

  private static PoolDecision release(PoolState s, SlotClaim claim, Instant at, Duration lease) {
    if (s.holds(claim)) {
      List<Holder> kept = s.holders().stream().filter(h -> !h.claim().equals(claim)).toList();
      return fill(withHolders(s, kept, s.queue()), at, lease);
    }
    if (s.waits(claim)) {
      List<Waiter> queue = s.queue().stream().filter(w -> !w.claim().equals(claim)).toList();
      return fill(withHolders(s, s.holders(), queue), at, lease);
    }
    return unchanged(s);
  }

  private static PoolDecision renew(PoolState s, SlotClaim claim, Instant at, Duration lease) {
    Instant until = at.plus(lease);
    boolean changed = false;
    List<Holder> holders = new ArrayList<>(s.holders().size());
    for (Holder h : s.holders()) {
      if (h.claim().equals(claim) && until.isAfter(h.leaseUntil())) {
        holders.add(new Holder(claim, h.since(), until));
        changed = true;
      } else {
        holders.add(h);
      }
    }
    if (!changed) {
      return unchanged(s);
    }
    PoolState next = withHolders(s, holders, s.queue());
    return new PoolDecision(next, List.of(), next.status(at));
  }

  private static PoolDecision setSlots(PoolState s, int slots, Instant at, Duration lease) {
    if (slots < 0) {
      throw new IllegalArgumentException(
          "Expected 0 or more slots for pool " + s.pool() + ", but got " + slots);
    }
    if (s.defined() && s.slots() == slots) {
      return unchanged(s);
    }
    return fill(new PoolState(s.pool(), slots, true, s.holders(), s.queue()), at, lease);
  }

  /** Grants the head of the queue while a slot is free; the state changed in any case. */
  private static PoolDecision fill(PoolState s, Instant at, Duration lease) {
    List<Holder> holders = new ArrayList<>(s.holders());
    List<Waiter> queue = new ArrayList<>(s.queue());
    List<Inbound.SlotGranted> grants = new ArrayList<>();
    int next = 0;
    while (holders.size() < s.slots() && next < queue.size()) {
      SlotClaim c = queue.get(next++).claim();
      Instant until = at.plus(lease);
      holders.add(new Holder(c, at, until));
      grants.add(
          new Inbound.SlotGranted(c.dag(), c.runId(), c.task(), c.attempt(), s.pool(), at, until));
    }
    PoolState after = withHolders(s, holders, queue.subList(next, queue.size()));
    return new PoolDecision(after, grants, after.status(at));
  }

  private static PoolState withHolders(PoolState s, List<Holder> holders, List<Waiter> queue) {
    return new PoolState(s.pool(), s.slots(), s.defined(), holders, queue);
  }

  private static PoolDecision unchanged(PoolState s) {
    return new PoolDecision(s, List.of(), null);
  }
}

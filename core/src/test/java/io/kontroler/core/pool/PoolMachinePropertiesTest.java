package io.kontroler.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import io.kontroler.core.message.PoolMessage.SlotReleased;
import io.kontroler.core.message.PoolMessage.SlotRenewed;
import io.kontroler.core.message.PoolMessage.SlotRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Any interleaving of requests, releases, renewals, slot changes and lease ticks, with duplicates:
 * checked against a plain model (a set of holders and a FIFO list of waiters). A slot is granted
 * only while fewer than {@code slots} hold one, no attempt holds or waits twice, grants follow the
 * order of arrival, and no slot stays free while a request waits (every freed slot is reused).
 */
class PoolMachinePropertiesTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @Property(tries = 300)
  void holdersNeverExceedSlotsGrantsAreFifoAndNoSlotIdlesWhileARequestWaits(@ForAll long seed) {
    Random random = new Random(seed);
    PoolState state = PoolState.undefined("p");
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Set<SlotClaim> holders = new HashSet<>();
    List<SlotClaim> queue = new ArrayList<>();
    int steps = 50 + random.nextInt(250);
    for (int i = 0; i < steps; i++) {
      now = now.plusMillis(random.nextInt(4000));
      SlotClaim c =
          new SlotClaim(
              "ns/d" + random.nextInt(3), "r" + random.nextInt(4), "t", 1 + random.nextInt(2));
      int op = random.nextInt(20);
      int before = holders.size();
      PoolDecision d;
      if (op < 8) {
        d =
            PoolMachine.apply(
                state,
                new SlotRequested("p", c.dag(), c.runId(), c.task(), c.attempt(), now),
                LEASE);
        if (!holders.contains(c) && !queue.contains(c)) {
          queue.add(c);
        }
      } else if (op < 13) {
        d =
            PoolMachine.apply(
                state,
                new SlotReleased("p", c.dag(), c.runId(), c.task(), c.attempt(), now),
                LEASE);
        holders.remove(c);
        queue.remove(c);
      } else if (op < 16) {
        d =
            PoolMachine.apply(
                state, new SlotRenewed("p", c.dag(), c.runId(), c.task(), c.attempt(), now), LEASE);
      } else if (op < 18) {
        d = PoolMachine.apply(state, new PoolSlotsSet("p", random.nextInt(4), "admin", now), LEASE);
      } else {
        d = PoolMachine.expire(state, now, LEASE);
        for (PoolState.Holder h : state.holders()) {
          if (!h.leaseUntil().isAfter(now)) {
            holders.remove(h.claim());
          }
        }
      }
      PoolState after = d.state();
      int free = Math.max(0, after.slots() - holders.size());
      List<SlotClaim> expectedGrants =
          new ArrayList<>(queue.subList(0, Math.min(free, queue.size())));
      List<SlotClaim> granted =
          d.grants().stream()
              .map(g -> new SlotClaim(g.dag(), g.runId(), g.task(), g.attempt()))
              .toList();

      assertThat(granted).as("grants in order of arrival").isEqualTo(expectedGrants);
      Instant until = now.plus(LEASE);
      d.grants().forEach(g -> assertThat(g.leaseUntil()).isEqualTo(until));
      holders.addAll(expectedGrants);
      queue.subList(0, expectedGrants.size()).clear();

      List<SlotClaim> held = after.holders().stream().map(PoolState.Holder::claim).toList();
      List<SlotClaim> waiting = after.queue().stream().map(PoolState.Waiter::claim).toList();
      assertThat(new HashSet<>(held)).as("holders").isEqualTo(holders).hasSameSizeAs(held);
      assertThat(waiting).as("queue").isEqualTo(queue);
      assertThat(held).noneMatch(waiting::contains);
      assertThat(held.size())
          .as("no grant beyond the slots")
          .isLessThanOrEqualTo(Math.max(after.slots(), before));
      if (!waiting.isEmpty()) {
        assertThat(held.size())
            .as("no slot free while one waits")
            .isGreaterThanOrEqualTo(after.slots());
      }
      if (d.changed()) {
        assertThat(d.status().holders()).hasSize(held.size());
        assertThat(d.status().waiting()).isEqualTo(waiting.size());
      }
      state = after;
    }
  }
}

package io.kontroler.scheduler.topology;

import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunState;
import io.kontroler.core.run.TaskState;
import io.kontroler.core.run.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A DAG partition's side of pool leases: the slots its attempts hold ({@link PoolStores#HOLDS}),
 * kept in step with the transitions (a grant that launched an attempt adds its slot, a release
 * removes it), and renewed every third of the lease while the attempt is active. The store holds
 * one entry per attempt that holds a slot, so it is bounded by the slots of all pools.
 */
final class PoolHolds {
  private final KeyValueStore<String, HeldSlot> holds;
  private long lastRenewal = Long.MIN_VALUE;

  private PoolHolds(KeyValueStore<String, HeldSlot> holds) {
    this.holds = holds;
  }

  static PoolHolds from(ProcessingContext context) {
    return new PoolHolds(context.getStateStore(PoolStores.HOLDS));
  }

  /** Follows what {@code t}, the answer to {@code event}, did to this partition's slots. */
  void follow(RunEvent event, Transition t) {
    if (event instanceof RunEvent.PoolSlotGranted g && !t.isRejected()) {
      for (TaskState task : t.changedTasks()) {
        if (task.name().equals(g.task())
            && task.attempt() == g.attempt()
            && task.phase().isActive()) {
          holds.put(
              RunStores.taskKey(g.runId(), g.task()),
              new HeldSlot(g.pool(), g.dag(), g.runId(), g.task(), g.attempt()));
        }
      }
    }
    for (RunCommand c : t.commands()) {
      if (c instanceof RunCommand.SendPool s && s.message() instanceof PoolMessage.SlotReleased r) {
        String key = RunStores.taskKey(r.runId(), r.task());
        HeldSlot held = holds.get(key);
        if (held != null && held.attempt() == r.attempt()) {
          holds.delete(key);
        }
      }
    }
  }

  /**
   * Renews, when a third of {@code lease} passed since the last renewal at {@code now} (wall
   * clock), the slot of every attempt that is still active; forgets the others (their run ended
   * without releasing, failed as INTERNAL: the pool's lease frees their slot).
   */
  void renewDue(
      ProcessorContext<String, byte[]> context, RunStores stores, Duration lease, long now) {
    if (lastRenewal != Long.MIN_VALUE && now - lastRenewal < lease.toMillis() / 3) {
      return;
    }
    lastRenewal = now;
    List<KeyValue<String, HeldSlot>> all = new ArrayList<>();
    try (KeyValueIterator<String, HeldSlot> it = holds.all()) {
      it.forEachRemaining(all::add);
    }
    Instant at = Instant.ofEpochMilli(now);
    for (KeyValue<String, HeldSlot> e : all) {
      HeldSlot h = e.value;
      RunState run = stores.runs().get(h.runId());
      TaskState task = stores.tasks().get(e.key);
      boolean active =
          run != null
              && !run.phase().isFinal()
              && task != null
              && task.attempt() == h.attempt()
              && task.phase().isActive();
      if (!active) {
        holds.delete(e.key);
        continue;
      }
      PoolMessage.SlotRenewed renewed =
          new PoolMessage.SlotRenewed(h.pool(), h.dag(), h.runId(), h.task(), h.attempt(), at);
      context.forward(
          new Record<>(h.pool(), MessageCodec.encode(renewed), now), SchedulerTopology.POOLS_SINK);
    }
  }
}

package io.kontroler.core.pool;

import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.PoolMessage;
import java.util.List;
import java.util.Objects;

/**
 * The result of one input of {@link PoolMachine}: the pool's new state, the slots it granted (each
 * to go to its holder's DAG) in the order granted, and the pool's status when anything changed
 * (null when the input changed nothing: a duplicate, or a release of what was not held).
 */
public record PoolDecision(
    PoolState state, List<Inbound.SlotGranted> grants, PoolMessage.PoolStatus status) {

  public PoolDecision {
    Objects.requireNonNull(state, "state");
    grants = List.copyOf(Objects.requireNonNullElse(grants, List.of()));
  }

  /** Whether the input changed the pool (then its state must be written and its status sent). */
  public boolean changed() {
    return status != null;
  }
}

package io.kontroler.core.pool;

import io.kontroler.core.message.PoolMessage;

/**
 * Who holds or waits for a slot: one attempt of one task of one run. Two claims are the same
 * attempt exactly when they are equal, so the same attempt never holds two slots.
 */
public record SlotClaim(String dag, String runId, String task, int attempt) {

  /** The attempt a request, release or renewal is about. */
  public static SlotClaim of(PoolMessage.SlotRequested m) {
    return new SlotClaim(m.dag(), m.runId(), m.task(), m.attempt());
  }

  public static SlotClaim of(PoolMessage.SlotReleased m) {
    return new SlotClaim(m.dag(), m.runId(), m.task(), m.attempt());
  }

  public static SlotClaim of(PoolMessage.SlotRenewed m) {
    return new SlotClaim(m.dag(), m.runId(), m.task(), m.attempt());
  }
}

package io.kontroler.core.run;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Run ids are derived from the request, never drawn at random: the same DAG and idempotency key
 * always name the same run, so a request delivered twice starts one run, and the publisher knows
 * the id before the scheduler has read the request.
 */
public final class RunIds {
  private RunIds() {}

  /** The id of the run that {@code idempotencyKey} requests of {@code dag} (namespace/name). */
  public static String forRequest(String dag, String idempotencyKey) {
    byte[] seed = (dag + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8);
    return UUID.nameUUIDFromBytes(seed).toString();
  }

  /** The idempotency key of a request that came without one: where it sits in its topic. */
  public static String positionKey(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }
}

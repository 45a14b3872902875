package io.kontroler.core.dag;

/**
 * Retry policy of a task: {@code limit} retries after the first attempt. The delay fields go beyond
 * the original Kontroler (which retried at once); their defaults keep that behaviour.
 *
 * @param limit retries after the first attempt, 0 or more
 * @param delaySeconds wait before the first retry, 0 for immediately
 * @param factor multiplier applied to the delay for each further retry, at least 1
 * @param maxDelaySeconds cap on the delay, 0 for no cap
 */
public record Backoff(int limit, long delaySeconds, double factor, long maxDelaySeconds) {

  public static final Backoff NONE = new Backoff(0, 0, 1.0, 0);

  public Backoff {
    if (limit < 0 || delaySeconds < 0 || factor < 1.0 || maxDelaySeconds < 0) {
      throw new IllegalArgumentException(
          "Expected limit, delaySeconds, maxDelaySeconds >= 0 and factor >= 1, but got "
              + limit
              + ", "
              + delaySeconds
              + ", "
              + maxDelaySeconds
              + ", "
              + factor);
    }
  }

  public static Backoff ofLimit(int limit) {
    return new Backoff(limit, 0, 1.0, 0);
  }

  /** Delay in milliseconds before retry number {@code retry} (1 for the first retry). */
  public long delayMillisBeforeRetry(int retry) {
    if (delaySeconds == 0) {
      return 0;
    }
    double seconds = delaySeconds * Math.pow(factor, Math.max(0, retry - 1));
    if (maxDelaySeconds > 0) {
      seconds = Math.min(seconds, maxDelaySeconds);
    }
    return (long) Math.min(seconds * 1000.0, Long.MAX_VALUE / 2.0);
  }
}

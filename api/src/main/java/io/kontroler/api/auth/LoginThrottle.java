package io.kontroler.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Slows down password guessing, per user and per client address. Each login attempt is counted as a
 * failure the moment it is let through (a success then clears it), so that however many attempts
 * arrive at once, no more than {@code freeFailures} wrong passwords in a row are checked. After
 * that, each further attempt must wait after the previous failure: 1 s, then 2 s, 4 s … up to
 * {@code maxDelay}. Attempts refused while waiting do not count, so nobody can lock a user out for
 * longer than {@code maxDelay}: the right password is accepted as soon as the current wait is over.
 */
public final class LoginThrottle {
  private static final int MAX_ENTRIES = 100_000;

  private record Failures(int count, Instant lockedUntil) {}

  private final Clock clock;
  private final int freeFailures;
  private final Duration maxDelay;
  private final Map<String, Failures> failures = new HashMap<>();

  public LoginThrottle(Clock clock, int freeFailures, Duration maxDelay) {
    this.clock = clock;
    this.freeFailures = freeFailures;
    this.maxDelay = maxDelay;
  }

  /**
   * Lets one attempt of {@code keys} through, counting it as failed until {@link #succeeded}, and
   * returns zero; or returns how long {@code keys} must still wait, counting nothing.
   */
  public synchronized Duration tryAttempt(String... keys) {
    Instant now = clock.instant();
    Duration longest = Duration.ZERO;
    for (String key : keys) {
      Failures f = failures.get(key);
      if (f != null && f.lockedUntil().isAfter(now)) {
        Duration left = Duration.between(now, f.lockedUntil());
        longest = left.compareTo(longest) > 0 ? left : longest;
      }
    }
    if (!longest.isZero()) {
      return longest;
    }
    if (failures.size() > MAX_ENTRIES) {
      failures.values().removeIf(f -> f.lockedUntil().isBefore(now.minus(maxDelay)));
    }
    for (String key : keys) {
      Failures f = failures.get(key);
      failures.put(key, next(f == null ? 0 : f.count(), now));
    }
    return Duration.ZERO;
  }

  /** The attempt of {@code keys} had the right password: their failures are forgotten. */
  public synchronized void succeeded(String... keys) {
    for (String key : keys) {
      failures.remove(key);
    }
  }

  /** The wait after {@code failures} wrong passwords in a row: zero within the free ones. */
  public Duration delayAfter(int failures) {
    if (failures < freeFailures) {
      return Duration.ZERO;
    }
    long seconds = 1L << Math.min(30, failures - freeFailures);
    return Duration.ofSeconds(seconds).compareTo(maxDelay) > 0
        ? maxDelay
        : Duration.ofSeconds(seconds);
  }

  private Failures next(int previous, Instant now) {
    int count = previous + 1;
    return new Failures(count, now.plus(delayAfter(count)));
  }
}

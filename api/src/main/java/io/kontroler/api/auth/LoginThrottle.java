package io.kontroler.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@value #FREE_FAILURES} failed logins for a user (or from an
 * address), further attempts are refused until a wait that doubles with each failure (1s, 2s, 4s …
 * up to 5 minutes). A successful login clears the count.
 */
public final class LoginThrottle {
  static final int FREE_FAILURES = 3;
  private static final Duration MAX_WAIT = Duration.ofMinutes(5);
  private static final int MAX_ENTRIES = 100_000;

  private record Failures(int count, Instant lockedUntil) {}

  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code keys} must still wait before trying again; zero when they may try now. */
  public Duration waitFor(String... keys) {
    Instant now = clock.instant();
    Duration longest = Duration.ZERO;
    for (String key : keys) {
      Failures f = failures.get(key);
      if (f != null && f.lockedUntil().isAfter(now)) {
        Duration left = Duration.between(now, f.lockedUntil());
        longest = left.compareTo(longest) > 0 ? left : longest;
      }
    }
    return longest;
  }

  public void failed(String... keys) {
    if (failures.size() > MAX_ENTRIES) {
      Instant now = clock.instant();
      failures.values().removeIf(f -> f.lockedUntil().isBefore(now.minus(MAX_WAIT)));
    }
    for (String key : keys) {
      failures.compute(key, (k, f) -> next(f == null ? 0 : f.count()));
    }
  }

  public void succeeded(String... keys) {
    for (String key : keys) {
      failures.remove(key);
    }
  }

  private Failures next(int previous) {
    int count = previous + 1;
    if (count < FREE_FAILURES) {
      return new Failures(count, Instant.EPOCH);
    }
    long seconds = 1L << Math.min(20, count - FREE_FAILURES);
    Duration wait = Duration.ofSeconds(Math.min(seconds, MAX_WAIT.toSeconds()));
    return new Failures(count, clock.instant().plus(wait));
  }
}

package io.kontroler.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Slows down password guessing, per user and per client address. An attempt is admitted before its
 * password is checked, and counted while it is checked: however many attempts arrive at once, no
 * more than {@code freeFailures} wrong passwords in a row are checked. Past them, one attempt at a
 * time is admitted, each only after a wait since the previous failure: 1 s, then 2 s, 4 s … up to
 * {@code maxDelay}. Attempts refused while waiting count for nothing, so nobody can lock a user out
 * for longer than {@code maxDelay}: the right password is accepted as soon as the wait is over.
 */
public final class LoginThrottle {
  private static final int MAX_ENTRIES = 100_000;
  private static final Duration BUSY = Duration.ofSeconds(1);

  /** An admitted attempt: say how it ended, or close it when it ended in neither way. */
  public interface Attempt extends AutoCloseable {
    void failed();

    void succeeded();

    @Override
    void close();
  }

  private record State(int failures, int checking, Instant lockedUntil) {
    boolean idle(Instant now) {
      return checking == 0 && !lockedUntil.isAfter(now);
    }
  }

  private final Clock clock;
  private final int freeFailures;
  private final Duration maxDelay;
  private final Map<String, State> states = new HashMap<>();

  public LoginThrottle(Clock clock, int freeFailures, Duration maxDelay) {
    this.clock = clock;
    this.freeFailures = freeFailures;
    this.maxDelay = maxDelay;
  }

  /**
   * Admits one attempt of {@code keys}, or returns how long they must still wait (the attempt is
   * then not admitted and counts for nothing).
   */
  public synchronized Admission admit(String... keys) {
    Instant now = clock.instant();
    Duration longest = Duration.ZERO;
    for (String key : keys) {
      State s = states.get(key);
      if (s == null) {
        continue;
      }
      if (s.lockedUntil().isAfter(now)) {
        Duration left = Duration.between(now, s.lockedUntil());
        longest = left.compareTo(longest) > 0 ? left : longest;
      } else if (s.failures() + s.checking() >= freeFailures && s.checking() > 0) {
        longest = BUSY.compareTo(longest) > 0 ? BUSY : longest;
      }
    }
    if (!longest.isZero()) {
      return new Admission(null, longest);
    }
    if (states.size() > MAX_ENTRIES) {
      states.values().removeIf(s -> s.idle(now.minus(maxDelay)) && s.failures() < freeFailures);
    }
    for (String key : keys) {
      State s = states.getOrDefault(key, new State(0, 0, Instant.EPOCH));
      states.put(key, new State(s.failures(), s.checking() + 1, s.lockedUntil()));
    }
    return new Admission(new Admitted(keys), Duration.ZERO);
  }

  /** An admitted attempt, or the wait before one may be. */
  public record Admission(Attempt attempt, Duration retryAfter) {
    public boolean admitted() {
      return attempt != null;
    }
  }

  /** The wait after {@code failures} wrong passwords in a row: zero within the free ones. */
  public Duration delayAfter(int failures) {
    if (failures < freeFailures) {
      return Duration.ZERO;
    }
    Duration wait = Duration.ofSeconds(1L << Math.min(30, failures - freeFailures));
    return wait.compareTo(maxDelay) > 0 ? maxDelay : wait;
  }

  private synchronized void end(String[] keys, Boolean right) {
    Instant now = clock.instant();
    for (String key : keys) {
      State s = states.get(key);
      if (s == null) {
        continue;
      }
      if (Boolean.TRUE.equals(right)) {
        states.remove(key);
      } else if (Boolean.FALSE.equals(right)) {
        int failures = s.failures() + 1;
        states.put(key, new State(failures, s.checking() - 1, now.plus(delayAfter(failures))));
      } else {
        states.put(key, new State(s.failures(), s.checking() - 1, s.lockedUntil()));
      }
    }
  }

  /** Ends once: the first of failed, succeeded or close counts. */
  private final class Admitted implements Attempt {
    private final String[] keys;
    private boolean ended;

    Admitted(String[] keys) {
      this.keys = keys.clone();
    }

    private void finish(Boolean right) {
      synchronized (LoginThrottle.this) {
        if (!ended) {
          ended = true;
          end(keys, right);
        }
      }
    }

    @Override
    public void failed() {
      finish(Boolean.FALSE);
    }

    @Override
    public void succeeded() {
      finish(Boolean.TRUE);
    }

    @Override
    public void close() {
      finish(null);
    }
  }
}

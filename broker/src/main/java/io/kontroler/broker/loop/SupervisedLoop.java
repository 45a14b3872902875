package io.kontroler.broker.loop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named long-running loop (a consumer, a watcher, a sender) that survives transient errors.
 *
 * <p>The work is a {@link Session}: opened, stepped until it throws, closed. When a step throws,
 * the loop logs it with the loop's name, counts it, closes the session, waits out a growing backoff
 * and opens a new one; a Kafka consumer session therefore carries on from its committed offsets. A
 * successful step resets the backoff and records progress, which {@link LoopHealth} reads to tell a
 * stopped, failing or stalled loop. {@link Error}s are not caught: the loop stops and says so.
 */
public final class SupervisedLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisedLoop.class);

  /** One incarnation of the loop's work, e.g. a subscribed Kafka consumer. */
  public interface Session extends AutoCloseable {
    /** One iteration (poll, apply, commit); should return within about a second when idle. */
    void step() throws Exception;

    /** Called from another thread to end a blocking {@link #step()} (KafkaConsumer#wakeup). */
    default void wakeup() {}

    @Override
    default void close() throws Exception {}
  }

  /** Opens a new {@link Session}; called at start and after every failure. */
  @FunctionalInterface
  public interface SessionFactory {
    Session open() throws Exception;
  }

  /** What the loop is doing. */
  public enum State {
    STARTING,
    RUNNING,
    BACKING_OFF,
    /** Ended by {@link #close()}. */
    CLOSED,
    /** Ended by an {@link Error}: the loop is dead and readiness must say so. */
    DIED
  }

  /** The loop as {@link LoopHealth} and metrics see it. */
  public record Status(
      String name, State state, Instant lastProgress, long failures, String lastError) {}

  /**
   * The delay after the n-th consecutive failure: {@code initial * 2^(n-1)}, at most {@code max}.
   */
  public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT =
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

    public Backoff {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "Expected 0 < initial <= max, but got initial " + initial + ", max " + max);
      }
    }

    public Duration after(int consecutiveFailures) {
      int shift = Math.max(0, Math.min(consecutiveFailures - 1, 30));
      long millis = initial.toMillis() << shift;
      return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
  }

  private final String name;
  private final SessionFactory factory;
  private final Backoff backoff;
  private final Clock clock;
  private final Thread thread;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicLong failures = new AtomicLong();
  private volatile State state = State.STARTING;
  private volatile Instant lastProgress;
  private volatile String lastError;
  private volatile Session current;

  public SupervisedLoop(String name, SessionFactory factory) {
    this(name, factory, Backoff.DEFAULT, Clock.systemUTC());
  }

  public SupervisedLoop(String name, SessionFactory factory, Backoff backoff, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lastProgress = clock.instant();
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  public String name() {
    return name;
  }

  public SupervisedLoop start() {
    thread.start();
    return this;
  }

  public Status status() {
    return new Status(name, state, lastProgress, failures.get(), lastError);
  }

  private boolean closing() {
    return closing.getCount() == 0;
  }

  private void run() {
    int consecutive = 0;
    try {
      while (!closing()) {
        try (Session session = factory.open()) {
          current = session;
          if (closing()) {
            return;
          }
          state = State.RUNNING;
          while (!closing()) {
            session.step();
            lastProgress = clock.instant();
            consecutive = 0;
          }
        } catch (Exception e) {
          if (closing()) {
            return;
          }
          consecutive++;
          failures.incrementAndGet();
          lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
          state = State.BACKING_OFF;
          Duration delay = backoff.after(consecutive);
          LOG.warn(
              "Loop {} failed ({} in a row); opening it again in {}", name, consecutive, delay, e);
          if (closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
          }
        } finally {
          current = null;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Error e) {
      lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
      state = State.DIED;
      LOG.error("Loop {} died", name, e);
      throw e;
    } finally {
      if (state != State.DIED) {
        state = State.CLOSED;
      }
    }
  }

  /** Ends the loop: wakes a blocking step, waits for the session to close. */
  @Override
  public void close() {
    closing.countDown();
    Session session = current;
    if (session != null) {
      session.wakeup();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

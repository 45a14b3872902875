package io.kontroler.broker.loop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The loops of one component, for readiness and metrics: a loop is unhealthy when it died, when it
 * is backing off after a failure, or when no step completed for longer than {@code stallAfter}.
 */
public final class LoopHealth {
  /** One unhealthy loop and why, in words fit for a readiness answer. */
  public record Problem(String loop, String reason) {}

  private final List<SupervisedLoop> loops = new CopyOnWriteArrayList<>();
  private final Duration stallAfter;
  private final Clock clock;

  public LoopHealth(Duration stallAfter, Clock clock) {
    this.stallAfter = stallAfter;
    this.clock = clock;
  }

  public LoopHealth() {
    this(Duration.ofSeconds(30), Clock.systemUTC());
  }

  /** Watches {@code loop}; returns it for chaining. */
  public SupervisedLoop watch(SupervisedLoop loop) {
    loops.add(loop);
    return loop;
  }

  public List<SupervisedLoop.Status> statuses() {
    List<SupervisedLoop.Status> out = new ArrayList<>();
    loops.forEach(l -> out.add(l.status()));
    return out;
  }

  /** Every loop that is not healthy now; empty when all are. */
  public List<Problem> problems() {
    Instant now = clock.instant();
    List<Problem> out = new ArrayList<>();
    for (SupervisedLoop loop : loops) {
      SupervisedLoop.Status s = loop.status();
      switch (s.state()) {
        case DIED -> out.add(new Problem(s.name(), "died: " + s.lastError()));
        case CLOSED -> out.add(new Problem(s.name(), "stopped"));
        case BACKING_OFF -> out.add(new Problem(s.name(), "failing: " + s.lastError()));
        case STARTING, RUNNING -> {
          Duration idle = Duration.between(s.lastProgress(), now);
          if (idle.compareTo(stallAfter) > 0) {
            out.add(new Problem(s.name(), "no progress for " + idle.toSeconds() + " s"));
          }
        }
      }
    }
    return out;
  }
}

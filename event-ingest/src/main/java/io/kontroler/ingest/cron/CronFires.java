package io.kontroler.ingest.cron;

import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.ingest.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a fire of a schedule into a {@code RunRequested} with trigger {@value
 * RunRequested#SCHEDULE}, keyed by the DAG and the scheduled time, while the fire is within the
 * DAG's starting deadline (plus {@link #LATENCY}). The DAG's concurrency policy is not applied
 * here: the scheduler partition that owns the DAG applies it to schedule-triggered requests,
 * against the runs it knows.
 */
public final class CronFires {
  private static final Logger LOG = LoggerFactory.getLogger(CronFires.class);

  /** How late Quartz may fire on time: a fire this late or less is not a missed one. */
  public static final Duration LATENCY = Duration.ofSeconds(1);

  private final Outbox outbox;
  private final Clock clock;

  public CronFires(Outbox outbox, Clock clock) {
    this.outbox = outbox;
    this.clock = clock;
  }

  /** The request {@code fire} makes at {@code now}; empty when it missed its starting deadline. */
  public static Optional<RunRequested> decide(Fire fire, Instant now) {
    Long deadline = fire.startingDeadlineSeconds();
    if (deadline != null
        && Duration.between(fire.scheduledAt(), now)
                .compareTo(Duration.ofSeconds(deadline).plus(LATENCY))
            > 0) {
      return Optional.empty();
    }
    return Optional.of(
        new RunRequested(
            fire.dag(),
            fire.runName(),
            Map.of(),
            fire.idempotencyKey(),
            fire.scheduledAt(),
            RunRequested.SCHEDULE));
  }

  /** Decides and publishes; returns what was published. */
  public Optional<RunRequested> fire(Fire fire) {
    Optional<RunRequested> request = decide(fire, clock.instant());
    if (request.isEmpty()) {
      LOG.info(
          "Skipped the fire of {} scheduled at {}: later than its starting deadline of {} s",
          fire.dag(),
          fire.scheduledAt(),
          fire.startingDeadlineSeconds());
      return request;
    }
    outbox.command(request.get());
    LOG.debug("Fired {} scheduled at {}", fire.dag(), fire.scheduledAt());
    return request;
  }
}

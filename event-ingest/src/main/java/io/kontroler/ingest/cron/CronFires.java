package io.kontroler.ingest.cron;

import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.CancelRun;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.run.RunIds;
import io.kontroler.ingest.Outbox;
import io.kontroler.ingest.runs.RunBook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a fire of a schedule into commands: a {@code RunRequested} keyed by the DAG and the
 * scheduled time, after the DAG's concurrency policy (as Kubernetes CronJobs) has looked at its
 * active runs, and only while the fire is within the DAG's starting deadline (plus {@link
 * #LATENCY}).
 */
public final class CronFires {
  private static final Logger LOG = LoggerFactory.getLogger(CronFires.class);

  /** How late Quartz may fire on time: a fire this late or less is not a missed one. */
  public static final Duration LATENCY = Duration.ofSeconds(1);

  private final Outbox outbox;
  private final RunBook runs;
  private final Clock clock;

  public CronFires(Outbox outbox, RunBook runs, Clock clock) {
    this.outbox = outbox;
    this.runs = runs;
    this.clock = clock;
  }

  /** The commands {@code fire} makes, given the DAG's active runs and the time now. */
  public static List<Inbound> decide(Fire fire, List<String> activeRuns, Instant now) {
    Long deadline = fire.startingDeadlineSeconds();
    if (deadline != null
        && Duration.between(fire.scheduledAt(), now)
                .compareTo(Duration.ofSeconds(deadline).plus(LATENCY))
            > 0) {
      return List.of();
    }
    List<Inbound> commands = new ArrayList<>();
    switch (fire.policy()) {
      case Forbid -> {
        if (!activeRuns.isEmpty()) {
          return List.of();
        }
      }
      case Replace -> {
        for (String runId : activeRuns) {
          commands.add(
              new CancelRun(
                  fire.dag(), runId, "replaced by the run scheduled at " + fire.scheduledAt()));
        }
      }
      case Allow -> {}
    }
    commands.add(
        new RunRequested(
            fire.dag(), fire.runName(), Map.of(), fire.idempotencyKey(), fire.scheduledAt()));
    return commands;
  }

  /** Decides and publishes; returns what was published. */
  public List<Inbound> fire(Fire fire) {
    String runId = RunIds.forRequest(fire.dag(), fire.idempotencyKey());
    if (runs.get(runId).isPresent()) {
      LOG.info(
          "Fire of {} at {} was requested already: run {}", fire.dag(), fire.scheduledAt(), runId);
      return List.of();
    }
    List<String> active = runs.activeRuns(fire.dag());
    List<Inbound> commands = decide(fire, active, clock.instant());
    if (commands.isEmpty()) {
      LOG.info(
          "Skipped the fire of {} scheduled at {}: policy {}, {} active run(s), deadline {}s",
          fire.dag(),
          fire.scheduledAt(),
          fire.policy(),
          active.size(),
          fire.startingDeadlineSeconds());
      return commands;
    }
    for (Inbound command : commands) {
      outbox.command(command);
      if (command instanceof RunRequested) {
        runs.requested(runId, fire.dag());
      }
    }
    LOG.debug("Fired {} scheduled at {}: run {}", fire.dag(), fire.scheduledAt(), runId);
    return commands;
  }
}

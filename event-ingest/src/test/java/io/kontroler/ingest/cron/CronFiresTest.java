package io.kontroler.ingest.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.ConcurrencyPolicy;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.CancelRun;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.ingest.InMemoryOutbox;
import io.kontroler.ingest.runs.RunBook;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronFiresTest {
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");
  private static final String DAG = "default/nightly";

  private final InMemoryOutbox outbox = new InMemoryOutbox();
  private final RunBook runs = new RunBook();
  private final CronFires fires =
      new CronFires(outbox, runs, Clock.fixed(AT.plusSeconds(1), ZoneOffset.UTC));

  @Test
  void requestsARunKeyedByTheDagAndTheScheduledTime() {
    List<Inbound> commands =
        CronFires.decide(new Fire(DAG, ConcurrencyPolicy.Allow, null, AT), List.of("r1"), AT);

    assertThat(commands)
        .containsExactly(
            new RunRequested(
                DAG, "nightly-" + AT.getEpochSecond(), java.util.Map.of(), DAG + "@" + AT, AT));
  }

  @Test
  void forbidSkipsTheFireWhileARunIsActive() {
    Fire fire = new Fire(DAG, ConcurrencyPolicy.Forbid, null, AT);

    assertThat(CronFires.decide(fire, List.of("r1"), AT)).isEmpty();
    assertThat(CronFires.decide(fire, List.of(), AT)).hasSize(1);
  }

  @Test
  void replaceCancelsTheActiveRunsBeforeRequestingTheNewOne() {
    List<Inbound> commands =
        CronFires.decide(
            new Fire(DAG, ConcurrencyPolicy.Replace, null, AT), List.of("r1", "r2"), AT);

    assertThat(commands).hasSize(3);
    assertThat(commands.subList(0, 2))
        .extracting(c -> ((CancelRun) c).runId())
        .containsExactly("r1", "r2");
    assertThat(commands.get(2)).isInstanceOf(RunRequested.class);
  }

  @Test
  void aFireLaterThanTheStartingDeadlineIsDropped() {
    Fire fire = new Fire(DAG, ConcurrencyPolicy.Allow, 30L, AT);

    assertThat(CronFires.decide(fire, List.of(), AT.plusSeconds(31))).hasSize(1);
    assertThat(CronFires.decide(fire, List.of(), AT.plusSeconds(31).plusMillis(1))).isEmpty();
  }

  @Test
  void forbidSeesTheRunItsPreviousFireRequestedUntilTheRunEnds() {
    Fire first = new Fire(DAG, ConcurrencyPolicy.Forbid, null, AT);
    Fire second = new Fire(DAG, ConcurrencyPolicy.Forbid, null, AT.plusSeconds(60));

    fires.fire(first);
    fires.fire(second);
    assertThat(outbox.commands(RunRequested.class)).hasSize(1);

    String runId = RunIds.forRequest(DAG, first.idempotencyKey());
    runs.apply(
        new RunPhaseChanged(
            runId, DAG, 1, null, RunPhase.Running, RunPhase.Succeeded, PhaseCounts.ZERO, null, AT));
    fires.fire(new Fire(DAG, ConcurrencyPolicy.Forbid, null, AT.plusSeconds(120)));

    assertThat(outbox.commands(RunRequested.class))
        .extracting(RunRequested::idempotencyKey)
        .containsExactly(DAG + "@" + AT, DAG + "@" + AT.plusSeconds(120));
  }

  @Test
  void theSameFireTwiceRequestsOneRun() {
    Fire fire = new Fire(DAG, ConcurrencyPolicy.Allow, null, AT);

    fires.fire(fire);
    fires.fire(fire);

    assertThat(outbox.commands()).hasSize(1);
  }
}

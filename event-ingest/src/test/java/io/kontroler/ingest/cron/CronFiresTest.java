package io.kontroler.ingest.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.ingest.InMemoryOutbox;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CronFiresTest {
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");
  private static final String DAG = "default/nightly";

  private final InMemoryOutbox outbox = new InMemoryOutbox();
  private final CronFires fires =
      new CronFires(outbox, Clock.fixed(AT.plusSeconds(1), ZoneOffset.UTC));

  @Test
  void requestsAScheduleTriggeredRunKeyedByTheDagAndTheScheduledTime() {
    assertThat(CronFires.decide(new Fire(DAG, null, AT), AT))
        .contains(
            new RunRequested(
                DAG,
                "nightly-" + AT.getEpochSecond(),
                Map.of(),
                DAG + "@" + AT,
                AT,
                RunRequested.SCHEDULE));
  }

  @Test
  void aFireLaterThanTheStartingDeadlineIsDropped() {
    Fire fire = new Fire(DAG, 30L, AT);

    assertThat(CronFires.decide(fire, AT.plusSeconds(31))).isPresent();
    assertThat(CronFires.decide(fire, AT.plusSeconds(31).plusMillis(1))).isEmpty();
  }

  @Test
  void everyFireIsPublishedAndTheSchedulerAppliesTheConcurrencyPolicy() {
    fires.fire(new Fire(DAG, null, AT));
    fires.fire(new Fire(DAG, null, AT.plusSeconds(60)));

    assertThat(outbox.commands(RunRequested.class))
        .extracting(RunRequested::idempotencyKey, RunRequested::trigger)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(DAG + "@" + AT, "schedule"),
            org.assertj.core.groups.Tuple.tuple(DAG + "@" + AT.plusSeconds(60), "schedule"));
  }

  @Test
  void theSameSlotFiredTwiceRequestsTheSameRun() {
    Fire fire = new Fire(DAG, null, AT);

    fires.fire(fire);
    fires.fire(fire);

    assertThat(outbox.commands(RunRequested.class))
        .hasSize(2)
        .extracting(RunRequested::idempotencyKey)
        .containsOnly(DAG + "@" + AT);
  }
}

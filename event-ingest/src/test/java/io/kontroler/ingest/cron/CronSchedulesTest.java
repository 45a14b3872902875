package io.kontroler.ingest.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.dag.ConcurrencyPolicy;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.ingest.InMemoryOutbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;
import org.quartz.CronTrigger;

/** The schedules on Quartz's in-memory store, as in {@code kontroler standalone}. */
class CronSchedulesTest {
  private static final String DAG = "default/every-second";

  private final InMemoryOutbox outbox = new InMemoryOutbox();
  private final CronSchedules cron =
      new CronSchedules(
          QuartzSchedulers.memory("test", new CronFires(outbox, Clock.systemUTC()), 2, 500));

  @AfterEach
  void stop() {
    cron.close();
  }

  @Test
  void anEverySecondScheduleFiresOncePerScheduledSecond() {
    cron.start();
    cron.apply(Dags.scheduled(DAG, "* * * * * *"));
    Instant from = Instant.now().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant to = from.plusSeconds(3);

    await().atMost(Duration.ofSeconds(10)).until(() -> scheduledTimes().contains(to));

    List<Instant> window =
        scheduledTimesList().stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).toList();
    assertThat(window).containsExactly(from, from.plusSeconds(1), from.plusSeconds(2));
  }

  @Test
  void aChangedScheduleTakesEffectAtOnceAndDeletionUnschedules() {
    cron.start();
    cron.apply(Dags.scheduled(DAG, "0 0 1 1 *"));
    assertThat(cron.trigger(DAG)).map(CronTrigger::getCronExpression).contains("0 0 0 1 1 ?");

    cron.apply(Dags.scheduled(DAG, 2, "* * * * * *", null, null, null, false));
    await().atMost(Duration.ofSeconds(5)).until(() -> !outbox.commands().isEmpty());

    cron.apply(new DagDeleted(DAG, Instant.now()));
    assertThat(cron.trigger(DAG)).isEmpty();
  }

  @Test
  void bothDayFieldsGetOneTriggerEachAndAChangeDropsTheOther() {
    cron.apply(Dags.scheduled(DAG, "0 12 13 * 5"));
    assertThat(cron.triggers(DAG))
        .map(CronTrigger::getCronExpression)
        .containsExactly("0 0 12 13 * ?", "0 0 12 ? * 6");

    cron.apply(Dags.scheduled(DAG, 2, "0 12 * * 5", null, null, null, true));
    assertThat(cron.triggers(DAG))
        .map(CronTrigger::getCronExpression)
        .containsExactly("0 0 12 ? * 6");
    assertThat(cron.isPaused(DAG)).isTrue();
  }

  @Test
  void suspendedPausesTheScheduleAndResumingFiresAgain() {
    cron.apply(Dags.scheduled(DAG, 1, "* * * * * *", null, null, 0L, true));
    assertThat(cron.trigger(DAG)).isEmpty();
    cron.apply(Dags.scheduled(DAG, 1, "* * * * * *", null, null, 0L, false));
    cron.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !outbox.commands().isEmpty());

    cron.apply(Dags.scheduled(DAG, 1, "* * * * * *", null, null, 0L, true));
    assertThat(cron.isPaused(DAG)).isTrue();
    int firedBefore = outbox.commands().size();
    Instant paused = Instant.now();
    await().until(() -> Instant.now().isAfter(paused.plusSeconds(2)));
    assertThat(outbox.commands()).hasSizeLessThanOrEqualTo(firedBefore + 1);

    cron.apply(Dags.scheduled(DAG, 1, "* * * * * *", null, null, 0L, false));
    assertThat(cron.isPaused(DAG)).isFalse();
    int firedWhilePaused = outbox.commands().size();
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.commands().size() > firedWhilePaused);
  }

  @Test
  void missedFiresWithinTheStartingDeadlineAreCaughtUpAndOlderOnesDropped() {
    // Quartz is down (not started) for 6 s; the deadline is 3 s (plus 1 s of latency)
    cron.apply(Dags.scheduled(DAG, 1, "* * * * * *", null, ConcurrencyPolicy.Allow, 3L, false));
    Instant down = Instant.now();
    await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(down.plusSeconds(6)));

    Instant up = Instant.now();
    cron.start();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> scheduledTimes().stream().anyMatch(t -> t.isAfter(up)));
    List<Instant> caughtUp = scheduledTimesList().stream().filter(t -> t.isBefore(up)).toList();
    Instant firstMissed = down.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
    assertThat(caughtUp).isNotEmpty().doesNotHaveDuplicates();
    assertThat(caughtUp).allMatch(t -> !t.isBefore(up.minusSeconds(4)));
    assertThat(caughtUp).doesNotContain(firstMissed);
  }

  @Test
  void theScheduleFollowsItsTimeZoneAcrossDaylightSavingTime() throws Exception {
    cron.apply(
        Dags.scheduled(
            DAG, 1, "30 2 * * *", "Europe/Berlin", ConcurrencyPolicy.Forbid, null, false));
    CronTrigger trigger = cron.trigger(DAG).orElseThrow();
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    CronExpression expression = new CronExpression(trigger.getCronExpression());
    expression.setTimeZone(trigger.getTimeZone());

    Date afterSummer =
        expression.getNextValidTimeAfter(
            Date.from(ZonedDateTime.of(2026, 10, 23, 12, 0, 0, 0, berlin).toInstant()));
    Date afterWinter =
        expression.getNextValidTimeAfter(
            Date.from(ZonedDateTime.of(2026, 10, 26, 12, 0, 0, 0, berlin).toInstant()));

    assertThat(trigger.getTimeZone().getID()).isEqualTo("Europe/Berlin");
    assertThat(afterSummer.toInstant()).isEqualTo(Instant.parse("2026-10-24T00:30:00Z"));
    assertThat(afterWinter.toInstant()).isEqualTo(Instant.parse("2026-10-27T01:30:00Z"));
  }

  private Set<Instant> scheduledTimes() {
    return Set.copyOf(scheduledTimesList());
  }

  private List<Instant> scheduledTimesList() {
    return outbox.commands(RunRequested.class).stream().map(RunRequested::requestedAt).toList();
  }
}

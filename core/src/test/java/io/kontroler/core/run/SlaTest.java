package io.kontroler.core.run;

import static io.kontroler.core.run.RunHarness.DAG;
import static io.kontroler.core.run.RunHarness.RUN;
import static io.kontroler.core.run.RunHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Backoff;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.Sla;
import io.kontroler.core.run.RunCommand.SlaMissed;
import io.kontroler.core.run.RunCommand.StartTimer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlaTest {

  private static RunHarness withSla(Sla sla, io.kontroler.core.dag.TaskSpec... tasks) {
    return new RunHarness(DagSpec.of(List.of(tasks)).withSla(sla)).start();
  }

  private static List<StartTimer> timers(RunHarness h, TimerKind kind) {
    return h.commands.stream()
        .filter(c -> c instanceof StartTimer s && s.kind() == kind)
        .map(c -> (StartTimer) c)
        .toList();
  }

  @Test
  void aRunStartsItsSlaTimerAndEachStartedAttemptOneOfItsOwn() {
    RunHarness h = withSla(new Sla(600L, 60L), task("a"), task("b", "a"));
    Instant started = h.run.startedAt();

    h.startTask("a");

    assertThat(timers(h, TimerKind.SLA_RUN))
        .containsExactly(
            new StartTimer(RUN, DAG, "", 0, TimerKind.SLA_RUN, started.plusSeconds(600)));
    assertThat(timers(h, TimerKind.SLA_TASK))
        .containsExactly(
            new StartTimer(
                RUN,
                DAG,
                "a",
                1,
                TimerKind.SLA_TASK,
                h.tasks.get("a").startedAt().plusSeconds(60)));
  }

  @Test
  void aRunNotFinalWhenItsTimerFiresMissesItsSlaOnceAndGoesOn() {
    RunHarness h = withSla(new Sla(600L, null), task("a"));
    Instant at = h.tick();

    h.apply(new RunEvent.TimerFired(RUN, DAG, "", 0, TimerKind.SLA_RUN, at));
    h.apply(new RunEvent.TimerFired(RUN, DAG, "", 0, TimerKind.SLA_RUN, h.tick()));

    assertThat(h.commands)
        .filteredOn(SlaMissed.class::isInstance)
        .containsExactly(new SlaMissed(RUN, DAG, null, 600, at));
    assertThat(h.lastRejection().reason()).isEqualTo(Rejection.Reason.STALE_TIMER);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    assertThat(h.run.slaMissed()).containsExactly(RunState.RUN_SLA);
    h.succeed("a");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void aTaskMissesItsSlaOncePerRunEvenWhenALaterAttemptIsAlsoLate() {
    RunHarness h = withSla(new Sla(null, 60L), task("a").withBackoff(Backoff.ofLimit(1)));
    h.startTask("a");
    Instant at = h.tick();
    h.apply(new RunEvent.TimerFired(RUN, DAG, "a", 1, TimerKind.SLA_TASK, at));
    h.fail("a", 1);

    h.startTask("a");

    assertThat(timers(h, TimerKind.SLA_TASK)).extracting(StartTimer::attempt).containsExactly(1);
    assertThat(h.commands)
        .filteredOn(SlaMissed.class::isInstance)
        .containsExactly(new SlaMissed(RUN, DAG, "a", 60, at));
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Running);
  }

  @Test
  void anAttemptThatEndedInTimeMissesNothingAndTheRunTimerAfterTheRunIsIgnored() {
    RunHarness h = withSla(new Sla(600L, 60L), task("a"));
    h.startTask("a");
    h.succeed("a");

    h.apply(new RunEvent.TimerFired(RUN, DAG, "a", 1, TimerKind.SLA_TASK, h.tick()));
    h.apply(new RunEvent.TimerFired(RUN, DAG, "", 0, TimerKind.SLA_RUN, h.tick()));

    assertThat(h.commands).noneMatch(SlaMissed.class::isInstance);
    assertThat(h.lastRejection().reason()).isEqualTo(Rejection.Reason.RUN_FINISHED);
  }

  @Test
  void aDagWithoutSlaStartsNoSlaTimer() {
    RunHarness h = RunHarness.of(task("a"));
    h.start();
    h.startTask("a");

    assertThat(timers(h, TimerKind.SLA_RUN)).isEmpty();
    assertThat(timers(h, TimerKind.SLA_TASK)).isEmpty();
  }
}

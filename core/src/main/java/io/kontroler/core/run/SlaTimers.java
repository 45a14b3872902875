package io.kontroler.core.run;

import io.kontroler.core.dag.Sla;
import io.kontroler.core.run.RunCommand.StartTimer;
import java.time.Instant;

/**
 * The timers of a DAG's SLA ({@code spec.sla}): one per run from its start, one per task attempt
 * from its start. When one fires, the run or task misses its SLA unless it is final by then or
 * missed it before: each is published once per run.
 */
final class SlaTimers {
  private SlaTimers() {}

  /** The run's SLA timer, or null when the DAG sets no {@code sla.runSeconds}. */
  static StartTimer forRun(DagPlan plan, RunState run, Instant startedAt) {
    Sla sla = plan.spec().sla();
    if (sla == null || sla.runSeconds() == null || run.slaMissed().contains(RunState.RUN_SLA)) {
      return null;
    }
    return new StartTimer(
        run.runId(),
        run.dag(),
        RunState.RUN_SLA,
        0,
        TimerKind.SLA_RUN,
        startedAt.plusSeconds(sla.runSeconds()));
  }

  /**
   * The SLA timer of attempt {@code attempt} of {@code task}, started at {@code startedAt}; null
   * when the DAG sets no {@code sla.taskSeconds} or the task missed its SLA already.
   */
  static StartTimer forTask(
      DagPlan plan, RunState run, String task, int attempt, Instant startedAt) {
    Sla sla = plan.spec().sla();
    if (sla == null || sla.taskSeconds() == null || run.slaMissed().contains(task)) {
      return null;
    }
    return new StartTimer(
        run.runId(),
        run.dag(),
        task,
        attempt,
        TimerKind.SLA_TASK,
        startedAt.plusSeconds(sla.taskSeconds()));
  }

  /**
   * Whether the SLA timer {@code e} finds its run or task attempt {@code t} (null for the run's)
   * still not final and not past its SLA before.
   */
  static boolean missed(RunState run, TaskState t, RunEvent.TimerFired e) {
    if (e.kind() == TimerKind.SLA_RUN) {
      return !run.slaMissed().contains(RunState.RUN_SLA);
    }
    return t != null
        && t.attempt() == e.attempt()
        && !t.phase().isFinal()
        && t.phase() != TaskPhase.Retrying
        && !run.slaMissed().contains(t.name());
  }

  /** How many seconds the SLA that {@code e} stands for allows. */
  static long seconds(DagPlan plan, RunEvent.TimerFired e) {
    Sla sla = plan.spec().sla();
    return e.kind() == TimerKind.SLA_RUN ? sla.runSeconds() : sla.taskSeconds();
  }
}

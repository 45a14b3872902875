package io.kontroler.core.dag;

/**
 * A DAG's deadlines ({@code spec.sla}): a run not final {@code runSeconds} after it started, or an
 * attempt of a task not final {@code taskSeconds} after it started, misses its SLA; that is
 * published once per run and task, and the run goes on (killing is what timeouts are for).
 *
 * @param runSeconds the run's deadline, null for none
 * @param taskSeconds each task attempt's deadline, null for none
 */
public record Sla(Long runSeconds, Long taskSeconds) {}

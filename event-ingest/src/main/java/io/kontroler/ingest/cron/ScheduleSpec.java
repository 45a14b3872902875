package io.kontroler.ingest.cron;

import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.validate.Cron;
import java.util.List;
import java.util.Optional;

/**
 * How one DAG is scheduled: its cron expression in Quartz form (two expressions when it restricts
 * both day fields: Unix cron fires when either matches, Quartz takes one per expression), time zone
 * ({@code UTC} when the DAG names none), starting deadline and whether it is suspended. Its
 * concurrency policy is the scheduler's to apply.
 */
public record ScheduleSpec(
    String dag,
    List<String> quartzCrons,
    String timezone,
    Long startingDeadlineSeconds,
    boolean suspended) {

  public static final String DEFAULT_TIMEZONE = "UTC";

  public ScheduleSpec {
    quartzCrons = List.copyOf(quartzCrons);
  }

  /** The schedule of a published DAG; empty when it has none (it runs only on request). */
  public static Optional<ScheduleSpec> of(DagPublished published) {
    var spec = published.spec();
    if (spec.schedule().isBlank() || !Cron.problems(spec.schedule()).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ScheduleSpec(
            published.dag(),
            Cron.toQuartz(spec.schedule()),
            spec.timezone() == null ? DEFAULT_TIMEZONE : spec.timezone(),
            spec.startingDeadlineSeconds(),
            spec.suspended()));
  }
}

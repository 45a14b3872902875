package io.kontroler.ingest.cron;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.quartz.CronTrigger;
import org.quartz.ScheduleBuilder;
import org.quartz.impl.triggers.CronTriggerImpl;

/**
 * A Quartz cron trigger whose fire times come from cron-utils' {@link ExecutionTime} of its
 * expression in its time zone, not from Quartz's own {@code CronExpression}: across a change of
 * daylight-saving time Quartz misses the first pass of a repeated hour and fires a repeated time of
 * day at its second pass, where Unix cron fires in both passes of an every-hour schedule and at the
 * first pass of a fixed time. Everything else (misfires, pausing, clustering) is Quartz's.
 */
public final class UnixCronTrigger extends CronTriggerImpl {
  private static final long serialVersionUID = 1L;
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  private transient String parsedExpression;
  private transient ExecutionTime executionTime;

  @Override
  protected Date getTimeAfter(Date afterTime) {
    // whole seconds, as Quartz's own: a fire set to "now" by a misfire must not carry its millis on
    ZonedDateTime after =
        afterTime.toInstant().truncatedTo(ChronoUnit.SECONDS).atZone(getTimeZone().toZoneId());
    return executionTime().nextExecution(after).map(t -> Date.from(t.toInstant())).orElse(null);
  }

  private ExecutionTime executionTime() {
    String expression = getCronExpression();
    if (executionTime == null || !expression.equals(parsedExpression)) {
      executionTime = ExecutionTime.forCron(QUARTZ.parse(expression));
      parsedExpression = expression;
    }
    return executionTime;
  }

  /** Keeps Quartz's own cron delegate from storing it as a plain cron trigger. */
  @Override
  public boolean hasAdditionalProperties() {
    return true;
  }

  @Override
  public ScheduleBuilder<CronTrigger> getScheduleBuilder() {
    return new UnixCronScheduleBuilder(getCronExpression(), getTimeZone(), getMisfireInstruction());
  }
}

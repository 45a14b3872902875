package io.kontroler.ingest.cron;

import java.text.ParseException;
import java.util.TimeZone;
import org.quartz.CronTrigger;
import org.quartz.ScheduleBuilder;
import org.quartz.spi.MutableTrigger;

/** Builds a {@link UnixCronTrigger} from a Quartz expression, time zone and misfire instruction. */
public final class UnixCronScheduleBuilder extends ScheduleBuilder<CronTrigger> {
  private final String quartzCron;
  private final TimeZone timeZone;
  private final int misfireInstruction;

  public UnixCronScheduleBuilder(String quartzCron, TimeZone timeZone, int misfireInstruction) {
    this.quartzCron = quartzCron;
    this.timeZone = timeZone;
    this.misfireInstruction = misfireInstruction;
  }

  @Override
  protected MutableTrigger build() {
    UnixCronTrigger trigger = new UnixCronTrigger();
    try {
      trigger.setCronExpression(quartzCron);
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "Expected a Quartz cron expression, but got '" + quartzCron + "': " + e.getMessage(), e);
    }
    trigger.setTimeZone(timeZone);
    trigger.setMisfireInstruction(misfireInstruction);
    return trigger;
  }
}

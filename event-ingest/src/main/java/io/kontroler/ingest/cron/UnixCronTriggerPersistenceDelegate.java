package io.kontroler.ingest.cron;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.quartz.CronTrigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.jdbcjobstore.CronTriggerPersistenceDelegate;
import org.quartz.spi.OperableTrigger;

/**
 * Stores a {@link UnixCronTrigger} in Quartz's cron table as a cron trigger is stored, under its
 * own trigger type, and loads it back as a {@link UnixCronTrigger}.
 */
public final class UnixCronTriggerPersistenceDelegate extends CronTriggerPersistenceDelegate {
  static final String TYPE = "UCRON";

  @Override
  public String getHandledTriggerTypeDiscriminator() {
    return TYPE;
  }

  @Override
  public boolean canHandleTriggerType(OperableTrigger trigger) {
    return trigger instanceof UnixCronTrigger;
  }

  @Override
  public TriggerPropertyBundle loadExtendedTriggerProperties(Connection conn, TriggerKey key)
      throws SQLException {
    return unix(super.loadExtendedTriggerProperties(conn, key));
  }

  @Override
  public TriggerPropertyBundle loadExtendedTriggerPropertiesFromResultSet(
      ResultSet rs, TriggerKey key) throws SQLException {
    return unix(super.loadExtendedTriggerPropertiesFromResultSet(rs, key));
  }

  private static TriggerPropertyBundle unix(TriggerPropertyBundle cron) {
    CronTrigger stored =
        (CronTrigger) TriggerBuilder.newTrigger().withSchedule(cron.getScheduleBuilder()).build();
    return new TriggerPropertyBundle(
        new UnixCronScheduleBuilder(
            stored.getCronExpression(), stored.getTimeZone(), stored.getMisfireInstruction()),
        cron.getStatePropertyNames(),
        cron.getStatePropertyValues());
  }
}

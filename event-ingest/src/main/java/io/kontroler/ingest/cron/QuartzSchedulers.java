package io.kontroler.ingest.cron;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Builds the Quartz scheduler of the ingest: in memory (the embedded default), or the clustered
 * JDBC job store on PostgreSQL, where every node shares the scheduler name and the trigger rows,
 * and a node that stops checking in has its triggers and unfinished fires taken over by another.
 */
public final class QuartzSchedulers {
  /** The scheduler name every node of a cluster shares (Quartz's {@code SCHED_NAME}). */
  public static final String NAME = "kontroler-ingest";

  private QuartzSchedulers() {}

  /**
   * Clustered-store settings.
   *
   * @param instanceId this node's id in the cluster, unique per node
   * @param checkinIntervalMillis how often a node checks in; a silent node is taken over after
   *     about this plus 7.5 seconds
   * @param misfireThresholdMillis how late a fire may be before it is a misfire
   */
  public record Cluster(
      String instanceId, long checkinIntervalMillis, long misfireThresholdMillis) {}

  /** A scheduler that keeps its schedules in memory (one node, rebuilt from the catalog). */
  public static Scheduler memory(
      String instanceId, CronFires fires, int threads, long misfireThresholdMillis) {
    Properties props = common(instanceId + "-memory", instanceId, threads);
    props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    props.setProperty(
        "org.quartz.jobStore.misfireThreshold", Long.toString(misfireThresholdMillis));
    return build(props, fires);
  }

  /** A node of the clustered JDBC job store; creates Quartz's tables first if needed. */
  public static Scheduler jdbc(
      DataSource dataSource, Cluster cluster, CronFires fires, int threads) {
    QuartzSchema.migrate(dataSource);
    String provider = "kontroler-" + cluster.instanceId();
    DBConnectionManager.getInstance().addConnectionProvider(provider, new Provider(dataSource));
    Properties props = common(NAME, cluster.instanceId(), threads);
    props.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    props.setProperty(
        "org.quartz.jobStore.driverDelegateClass",
        "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    props.setProperty(
        "org.quartz.jobStore.driverDelegateInitString",
        "triggerPersistenceDelegateClasses=" + UnixCronTriggerPersistenceDelegate.class.getName());
    props.setProperty("org.quartz.jobStore.dataSource", provider);
    props.setProperty("org.quartz.jobStore.useProperties", "true");
    props.setProperty("org.quartz.jobStore.isClustered", "true");
    props.setProperty(
        "org.quartz.jobStore.clusterCheckinInterval",
        Long.toString(cluster.checkinIntervalMillis()));
    props.setProperty(
        "org.quartz.jobStore.misfireThreshold", Long.toString(cluster.misfireThresholdMillis()));
    props.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    return build(props, fires);
  }

  private static Properties common(String name, String instanceId, int threads) {
    Properties props = new Properties();
    props.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, name);
    props.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, instanceId);
    props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    props.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
    props.setProperty("org.quartz.threadPool.threadNamePrefix", "kontroler-cron-" + instanceId);
    return props;
  }

  private static Scheduler build(Properties props, CronFires fires) {
    try {
      Scheduler scheduler = new StdSchedulerFactory(props).getScheduler();
      // Quartz keeps one scheduler per name in a JVM-wide registry; each node here is its own
      SchedulerRepository.getInstance().remove(scheduler.getSchedulerName());
      scheduler.setJobFactory((bundle, s) -> new FireJob(fires));
      return scheduler;
    } catch (SchedulerException e) {
      throw new IllegalStateException("Expected a Quartz scheduler, but " + e.getMessage(), e);
    }
  }

  /** Hands Quartz the connections of a pool it does not own. */
  private record Provider(DataSource dataSource) implements ConnectionProvider {
    @Override
    public Connection getConnection() throws SQLException {
      return dataSource.getConnection();
    }

    @Override
    public void shutdown() {}

    @Override
    public void initialize() {}
  }
}

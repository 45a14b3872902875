package io.kontroler.ingest.cron;

import java.time.Instant;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Quartz job of one DAG's schedule: reads the DAG from the job's data and hands the fire, with
 * its scheduled time, to {@link CronFires}. A fire recovered after its node died keeps the original
 * scheduled time, so it requests the same run. Fires of one DAG never run concurrently, so its
 * requests reach the scheduler in the order of their slots.
 */
@DisallowConcurrentExecution
public final class FireJob implements Job {
  static final String DAG = "dag";
  static final String DEADLINE = "startingDeadlineSeconds";

  private static final Logger LOG = LoggerFactory.getLogger(FireJob.class);

  private final CronFires fires;

  public FireJob(CronFires fires) {
    this.fires = fires;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    JobDataMap data = context.getMergedJobDataMap();
    String dag = data.getString(DAG);
    try {
      Fire fire = new Fire(dag, deadline(data.getString(DEADLINE)), scheduledAt(context, data));
      MDC.put("dag", dag);
      fires.fire(fire);
    } catch (RuntimeException e) {
      LOG.error("Fire of DAG {} failed; Quartz fires it again", dag, e);
      throw new JobExecutionException(e, true);
    } finally {
      MDC.remove("dag");
    }
  }

  private static Instant scheduledAt(JobExecutionContext context, JobDataMap data) {
    if (context.isRecovering()) {
      String original =
          data.getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
      if (original != null) {
        return Instant.ofEpochMilli(Long.parseLong(original));
      }
    }
    return context.getScheduledFireTime().toInstant();
  }

  private static Long deadline(String text) {
    return text == null || text.isEmpty() ? null : Long.valueOf(text);
  }
}

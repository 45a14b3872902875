package io.kontroler.ingest.cron;

import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.Catalog.DagPublished;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Quartz's jobs and triggers equal to the DAG schedules of the catalog: one job and one cron
 * trigger per Quartz expression of each scheduled DAG (two when it restricts both day fields),
 * named by the DAG's {@code namespace/name}. Applying the same schedule again changes nothing (so
 * every node of a cluster may apply every record); a changed schedule replaces the trigger at once;
 * {@code suspended} pauses it; a deleted DAG loses its job.
 *
 * <p>Missed fires (downtime, a dead node, a suspension) follow the DAG's {@code
 * startingDeadlineSeconds}: unset, one fire happens at once for the missed ones; 0, missed fires
 * are dropped; N seconds, every missed fire whose scheduled time is at most N seconds ago happens.
 */
public final class CronSchedules implements AutoCloseable {
  static final String GROUP = "kontroler-dags";
  private static final Logger LOG = LoggerFactory.getLogger(CronSchedules.class);

  private final Scheduler scheduler;

  public CronSchedules(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  public void start() {
    try {
      scheduler.start();
    } catch (SchedulerException e) {
      throw new IllegalStateException("Expected Quartz to start, but " + e.getMessage(), e);
    }
  }

  /**
   * Makes Quartz hold exactly the schedules of the catalog after a full read; the catalog is read
   * under this object's lock, so records applied meanwhile are applied after it.
   */
  public synchronized void sync(Supplier<Collection<DagPublished>> catalog) {
    Set<String> scheduled = new HashSet<>();
    for (DagPublished dag : catalog.get()) {
      apply(dag);
      ScheduleSpec.of(dag).ifPresent(s -> scheduled.add(s.dag()));
    }
    try {
      for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
        if (!scheduled.contains(key.getName())) {
          LOG.info("Unscheduled {}: no longer in the catalog", key.getName());
          scheduler.deleteJob(key);
        }
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException("Expected to list Quartz jobs, but " + e.getMessage(), e);
    }
  }

  /** Applies one catalog record: schedules, reschedules, pauses, resumes or unschedules. */
  public synchronized void apply(Catalog record) {
    try {
      if (record instanceof DagPublished p) {
        Optional<ScheduleSpec> spec = ScheduleSpec.of(p);
        if (spec.isPresent()) {
          schedule(spec.get());
        } else {
          unschedule(p.dag());
        }
      } else if (record instanceof DagDeleted d) {
        unschedule(d.dag());
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException("Expected Quartz to accept a schedule, but " + e, e);
    }
  }

  /** The triggers Quartz holds for {@code dag}, for checks: in the order of the schedule. */
  public List<CronTrigger> triggers(String dag) {
    try {
      return scheduler.getTriggersOfJob(JobKey.jobKey(dag, GROUP)).stream()
          .map(CronTrigger.class::cast)
          .sorted(Comparator.comparing(t -> t.getKey().getName()))
          .toList();
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The schedule Quartz holds for {@code dag}, for checks: its first trigger, or empty. */
  public Optional<CronTrigger> trigger(String dag) {
    try {
      return Optional.ofNullable((CronTrigger) scheduler.getTrigger(triggerKey(dag)));
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean isPaused(String dag) {
    try {
      return scheduler.getTriggerState(triggerKey(dag)) == Trigger.TriggerState.PAUSED;
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  private void schedule(ScheduleSpec spec) throws SchedulerException {
    JobDetail job = job(spec);
    List<CronTrigger> wanted = triggers(spec);
    List<? extends Trigger> existing = scheduler.getTriggersOfJob(job.getKey());
    if (existing.isEmpty() && spec.suspended()) {
      // Quartz cannot create a paused trigger; a suspended DAG is scheduled when it resumes
      LOG.info("Not scheduling {}: suspended", spec.dag());
      return;
    }
    if (existing.isEmpty()) {
      try {
        scheduler.scheduleJob(job, Set.copyOf(wanted), false);
        LOG.info("Scheduled {}: {} in {}", spec.dag(), spec.quartzCrons(), spec.timezone());
      } catch (ObjectAlreadyExistsException raced) {
        // another node of the cluster scheduled it at the same time: compare with what it stored
        schedule(spec);
        return;
      }
    } else if (!sameTiming(existing, wanted)) {
      scheduler.scheduleJob(job, Set.copyOf(wanted), true);
      Set<TriggerKey> keys = wanted.stream().map(Trigger::getKey).collect(Collectors.toSet());
      for (Trigger old : existing) {
        if (!keys.contains(old.getKey())) {
          scheduler.unscheduleJob(old.getKey());
        }
      }
      LOG.info("Rescheduled {}: {} in {}", spec.dag(), spec.quartzCrons(), spec.timezone());
    } else if (!scheduler.getJobDetail(job.getKey()).getJobDataMap().equals(job.getJobDataMap())) {
      scheduler.addJob(job, true, true);
    }
    boolean paused = isPaused(spec.dag());
    if (spec.suspended() && !paused) {
      scheduler.pauseJob(job.getKey());
      LOG.info("Suspended the schedule of {}", spec.dag());
    } else if (!spec.suspended() && paused) {
      scheduler.resumeJob(job.getKey());
      LOG.info("Resumed the schedule of {}", spec.dag());
    }
  }

  private void unschedule(String dag) throws SchedulerException {
    if (scheduler.deleteJob(JobKey.jobKey(dag, GROUP))) {
      LOG.info("Unscheduled {}", dag);
    }
  }

  private static boolean sameTiming(List<? extends Trigger> existing, List<CronTrigger> wanted) {
    Map<TriggerKey, Trigger> byKey = new HashMap<>();
    existing.forEach(t -> byKey.put(t.getKey(), t));
    return existing.size() == wanted.size()
        && wanted.stream().allMatch(w -> sameTiming(byKey.get(w.getKey()), w));
  }

  private static boolean sameTiming(Trigger existing, CronTrigger wanted) {
    return existing instanceof UnixCronTrigger c
        && c.getCronExpression().equals(wanted.getCronExpression())
        && c.getTimeZone().getID().equals(wanted.getTimeZone().getID())
        && c.getMisfireInstruction() == wanted.getMisfireInstruction();
  }

  private static JobDetail job(ScheduleSpec spec) {
    return JobBuilder.newJob(FireJob.class)
        .withIdentity(JobKey.jobKey(spec.dag(), GROUP))
        .usingJobData(FireJob.DAG, spec.dag())
        .usingJobData(FireJob.DEADLINE, Objects.toString(spec.startingDeadlineSeconds(), ""))
        .requestRecovery(true)
        .storeDurably(false)
        .build();
  }

  /** One cron trigger per Quartz expression of the schedule; together they fire its times. */
  static List<CronTrigger> triggers(ScheduleSpec spec) {
    List<CronTrigger> triggers = new ArrayList<>();
    for (int i = 0; i < spec.quartzCrons().size(); i++) {
      triggers.add(trigger(spec, spec.quartzCrons().get(i), triggerKey(spec.dag(), i)));
    }
    return triggers;
  }

  private static CronTrigger trigger(ScheduleSpec spec, String quartzCron, TriggerKey key) {
    Long deadline = spec.startingDeadlineSeconds();
    int misfire =
        deadline == null
            ? CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW
            : deadline == 0
                ? CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING
                : Trigger.MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY;
    return TriggerBuilder.newTrigger()
        .withIdentity(key)
        .forJob(JobKey.jobKey(spec.dag(), GROUP))
        .withSchedule(
            new UnixCronScheduleBuilder(quartzCron, TimeZone.getTimeZone(spec.timezone()), misfire))
        .build();
  }

  /** The first trigger is named by the DAG; a second one (the other day field) gets "#1". */
  private static TriggerKey triggerKey(String dag, int index) {
    return TriggerKey.triggerKey(index == 0 ? dag : dag + "#" + index, GROUP);
  }

  private static TriggerKey triggerKey(String dag) {
    return triggerKey(dag, 0);
  }

  /** Stops firing; waits for fires in progress. */
  @Override
  public void close() {
    shutdown(true);
  }

  /** Stops at once without waiting for fires in progress, as a node that dies. */
  public void abandon() {
    shutdown(false);
  }

  private void shutdown(boolean wait) {
    try {
      scheduler.shutdown(wait);
    } catch (SchedulerException e) {
      LOG.warn("Quartz did not shut down cleanly", e);
    }
  }
}

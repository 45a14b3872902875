package io.kontroler.scheduler.topology;

import io.kontroler.core.message.Inbound.BackfillRequested;
import io.kontroler.core.message.Inbound.CancelBackfill;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.DagPlan;
import io.kontroler.core.run.RunCommand.BackfillProgress;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunState;
import io.kontroler.core.validate.CronSlots;
import io.kontroler.core.validate.Problem;
import io.kontroler.core.validate.Validated;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of backfills: the DAG's partition computes the cron slots of the DAG's schedule in
 * the range, starts one run per slot, oldest first, with the slot as its logical date and the
 * idempotency key {@code backfill:<dag>@<slot>} (so that the same slot is never run twice, by this
 * backfill or another one, while the run's state is retained), at most {@code maxActive} at once
 * (and under the DAG's {@code maxActiveRuns}, through {@link Admissions}); each run that ends
 * starts the next slot. Progress goes on {@code run-events} as {@link BackfillProgress}.
 */
final class Backfills implements RunLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Backfills.class);
  static final String BACKFILLS = "backfills";
  static final String BACKFILL_RUNS = "backfill-runs";

  private final ProcessorContext<String, byte[]> context;
  private final RunDriver driver;
  private final Admissions admissions;
  private final int maxSlots;
  private final KeyValueStore<String, Backfill> backfills;
  private final KeyValueStore<String, String> runs;
  private boolean filling;

  Backfills(
      ProcessorContext<String, byte[]> context,
      RunDriver driver,
      Admissions admissions,
      int maxSlots) {
    this.context = context;
    this.driver = driver;
    this.admissions = admissions;
    this.maxSlots = maxSlots;
    this.backfills = context.getStateStore(BACKFILLS);
    this.runs = context.getStateStore(BACKFILL_RUNS);
  }

  void request(BackfillRequested r, long timestamp) {
    String key = Backfill.key(r.dag(), r.backfillId());
    if (r.backfillId() == null || r.backfillId().isBlank() || backfills.get(key) != null) {
      LOG.info("Backfill {} of {} known already: request ignored", r.backfillId(), r.dag());
      return;
    }
    DagHead head = driver.stores().heads().get(r.dag());
    DagPlan plan = head == null || head.deleted() ? null : driver.plan(r.dag(), head.version());
    String refused = null;
    Validated<List<Instant>> slots = null;
    if (plan == null) {
      refused = "Expected a published DAG '" + r.dag() + "', but there is none";
    } else if (r.maxActive() < 1) {
      refused = "Expected maxActive of at least 1, but got " + r.maxActive();
    } else {
      var spec = plan.spec();
      slots = CronSlots.between(spec.schedule(), spec.timezone(), r.from(), r.to(), maxSlots);
      if (!slots.ok()) {
        Problem p = slots.problems().get(0);
        refused = p.path() + ": " + p.message();
      }
    }
    if (refused != null) {
      LOG.info("Backfill {} of {} refused: {}", r.backfillId(), r.dag(), refused);
      publish(
          new BackfillProgress(
              r.dag(),
              r.backfillId(),
              r.from(),
              r.to(),
              r.maxActive(),
              0,
              0,
              0,
              0,
              false,
              refused,
              Instant.ofEpochMilli(timestamp)),
          timestamp);
      return;
    }
    Backfill backfill =
        new Backfill(
            r.dag(),
            r.backfillId(),
            r.from(),
            r.to(),
            r.maxActive(),
            slots.value(),
            0,
            List.of(),
            0,
            false);
    backfills.put(key, backfill);
    LOG.info(
        "Backfill {} of {}: {} slots, {} at once",
        r.backfillId(),
        r.dag(),
        slots.value().size(),
        r.maxActive());
    fill(key, timestamp);
  }

  void cancel(CancelBackfill c, long timestamp) {
    String key = Backfill.key(c.dag(), c.backfillId());
    Backfill backfill = backfills.get(key);
    if (backfill == null) {
      LOG.info("Cancel of unknown or finished backfill {} of {} ignored", c.backfillId(), c.dag());
      return;
    }
    backfills.put(key, backfill.cancel());
    String reason = c.reason() == null ? "backfill " + c.backfillId() + " cancelled" : c.reason();
    for (String runId : backfill.running()) {
      if (admissions.cancelWaiting(runId, reason, timestamp)) {
        continue;
      }
      RunState run = driver.stores().runs().get(runId);
      if (run != null && !run.phase().isFinal()) {
        driver.apply(
            driver.plan(run.dag(), run.dagVersion()),
            run,
            new RunEvent.CancelRequested(runId, run.dag(), reason, Instant.ofEpochMilli(timestamp)),
            timestamp);
      }
    }
    report(key, timestamp);
  }

  @Override
  public void ended(String dag, String runId, long timestamp) {
    String key = runs.get(runId);
    if (key == null) {
      return;
    }
    runs.delete(runId);
    Backfill backfill = backfills.get(key);
    if (backfill == null) {
      return;
    }
    backfills.put(key, backfill.ended(runId));
    if (!filling) {
      fill(key, timestamp);
    }
  }

  @Override
  public void reopened(String dag, String runId, long timestamp) {
    // A retried run of a backfill is the user's own: the backfill moved on.
  }

  /** Starts slots while the backfill has room, then reports where it stands. */
  private void fill(String key, long timestamp) {
    filling = true;
    try {
      while (true) {
        Backfill backfill = backfills.get(key);
        if (backfill == null || !backfill.canStart()) {
          break;
        }
        Instant slot = backfill.slots().get(backfill.next());
        String runId = startSlot(backfill, slot, timestamp);
        Backfill now = backfills.get(key).started(runId);
        backfills.put(key, now);
        if (runId != null) {
          runs.put(runId, key);
        }
      }
    } finally {
      filling = false;
    }
    report(key, timestamp);
  }

  /**
   * Asks for the run of {@code slot}; returns its id while it is active or waiting, null when it
   * ended already (an earlier backfill ran it) or was refused.
   */
  private String startSlot(Backfill backfill, Instant slot, long timestamp) {
    String dag = backfill.dag();
    String runId = RunIds.forRequest(dag, idempotencyKey(dag, slot));
    RunState existing = driver.stores().runs().get(runId);
    if (existing != null) {
      return existing.phase().isFinal() ? null : runId;
    }
    if (admissions.isWaiting(runId)) {
      return runId;
    }
    DagHead head = driver.stores().heads().get(dag);
    DagPlan plan = head == null || head.deleted() ? null : driver.plan(dag, head.version());
    if (plan == null) {
      return null;
    }
    RunEvent.RunRequested event =
        new RunEvent.RunRequested(
            runId,
            dag,
            plan.version(),
            dag.substring(dag.indexOf('/') + 1) + "-" + slot.getEpochSecond(),
            Map.of(),
            Instant.ofEpochMilli(timestamp),
            slot,
            null);
    Admissions.Outcome outcome = admissions.admit(plan, event, timestamp);
    if (outcome == Admissions.Outcome.REFUSED) {
      return null;
    }
    RunState run = driver.stores().runs().get(runId);
    boolean active = run == null ? admissions.isWaiting(runId) : !run.phase().isFinal();
    return active ? runId : null;
  }

  /** {@code backfill:<dag>@<slot ISO>}: the same slot of the same DAG is one run. */
  static String idempotencyKey(String dag, Instant slot) {
    return "backfill:" + dag + "@" + slot;
  }

  /** Publishes where the backfill stands; a finished one is forgotten. */
  private void report(String key, long timestamp) {
    Backfill b = backfills.get(key);
    if (b == null) {
      return;
    }
    publish(
        new BackfillProgress(
            b.dag(),
            b.backfillId(),
            b.from(),
            b.to(),
            b.maxActive(),
            b.slots().size(),
            b.done(),
            b.running().size(),
            b.waiting(),
            b.cancelled(),
            null,
            Instant.ofEpochMilli(timestamp)),
        timestamp);
    if (b.finished()) {
      backfills.delete(key);
      LOG.info("Backfill {} of {} finished: {} runs ended", b.backfillId(), b.dag(), b.done());
    }
  }

  private void publish(BackfillProgress progress, long timestamp) {
    context.forward(
        new Record<>(progress.dag(), MessageCodec.encode(progress), timestamp),
        SchedulerTopology.RUN_EVENTS_SINK);
  }
}

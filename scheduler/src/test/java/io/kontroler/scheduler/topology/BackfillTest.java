package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.RunCommand.BackfillProgress;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.RunState;
import io.kontroler.core.shape.Shapes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DAG's partition runs a backfill: one run per cron slot, oldest first, a few at once. */
class BackfillTest {
  private static final String DAG = "team-a/daily";
  private static final Instant FROM = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-10-30T00:00:00Z");
  private TopologyHarness h = new TopologyHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void thirtyDailySlotsRunOnceEachOldestFirstNeverMoreThanThreeAtOnce() {
    h.publish(DAG, 1, daily(null));

    h.command(DAG, backfill("bf-1", 3));
    Map<String, Instant> logicalDates = new HashMap<>();
    List<String> started = new ArrayList<>();
    int most = runOneTaskAtATime(started, logicalDates);

    List<Instant> slots =
        IntStream.range(0, 30).mapToObj(i -> FROM.plus(Duration.ofDays(i))).toList();
    assertThat(most).isEqualTo(3);
    assertThat(started).hasSize(30).doesNotHaveDuplicates();
    assertThat(started).containsExactlyElementsOf(slots.stream().map(BackfillTest::runOf).toList());
    assertThat(started)
        .allSatisfy(r -> assertThat(logicalDates.get(r)).isEqualTo(slotOf(r, slots)));
    assertThat(finalPhases()).hasSize(30).allMatch(p -> p.to() == RunPhase.Succeeded);
    BackfillProgress last = last(progress());
    assertThat(last)
        .extracting(
            BackfillProgress::total,
            BackfillProgress::done,
            BackfillProgress::running,
            BackfillProgress::waiting)
        .containsExactly(30, 30, 0, 0);
    assertThat(last.finished()).isTrue();
    assertThat(h.contents(Backfills.BACKFILLS)).isEmpty();
    assertThat(h.contents(Backfills.BACKFILL_RUNS)).isEmpty();
  }

  @Test
  void aSecondIdenticalBackfillStartsNothingNew() {
    h.publish(DAG, 1, daily(null));
    h.command(DAG, backfill("bf-1", 3));
    runOneTaskAtATime(new ArrayList<>(), new HashMap<>());

    h.command(DAG, backfill("bf-2", 3));
    h.command(DAG, backfill("bf-1", 3));

    assertThat(h.launches()).isEmpty();
    BackfillProgress second =
        progress().stream().filter(p -> p.backfillId().equals("bf-2")).reduce((a, b) -> b).get();
    assertThat(second.done()).isEqualTo(30);
    assertThat(second.finished()).isTrue();
  }

  @Test
  void theSameBackfillTwiceWhileItRunsStartsNothingTwice() {
    h.publish(DAG, 1, daily(null));
    h.command(DAG, backfill("bf-1", 3));

    h.command(DAG, backfill("bf-1", 3));
    h.command(DAG, backfill("bf-other", 3));

    assertThat(h.launches()).extracting(LaunchTask::runId).doesNotHaveDuplicates().hasSize(3);
  }

  @Test
  void theDagsMaxActiveRunsStillApplies() {
    h.publish(DAG, 1, daily(2));

    h.command(DAG, backfill("bf-1", 3));
    int most = runOneTaskAtATime(new ArrayList<>(), new HashMap<>());

    assertThat(most).isEqualTo(2);
    assertThat(finalPhases()).hasSize(30);
  }

  @Test
  void cancellingStopsNewSlotsAndCancelsTheActiveRuns() {
    h.publish(DAG, 1, daily(null));
    h.command(DAG, backfill("bf-1", 3));
    List<LaunchTask> first = h.launches();
    h.succeed(first.get(0));
    List<LaunchTask> fourth = h.launches();
    assertThat(fourth).hasSize(1);

    h.command(DAG, new Inbound.CancelBackfill(DAG, "bf-1", "not needed"));

    assertThat(h.executorCommands())
        .filteredOn(KillTask.class::isInstance)
        .extracting(c -> c.runId())
        .containsExactlyInAnyOrder(
            first.get(1).runId(), first.get(2).runId(), fourth.get(0).runId());
    assertThat(h.launches()).isEmpty();
    BackfillProgress last = last(progress());
    assertThat(last.cancelled()).isTrue();
    assertThat(last.waiting()).isZero();
  }

  @Test
  void aRangeWithTooManySlotsIsRefusedSaying() {
    h.close();
    h = new TopologyHarness(new AdmissionLimits(10, 10));
    h.publish(DAG, 1, daily(null));

    h.command(DAG, backfill("bf-1", 3));

    assertThat(h.launches()).isEmpty();
    assertThat(last(progress()).message())
        .startsWith("to: expected at most 10 cron slots of '0 0 * * *'")
        .contains("scheduler.max.backfill.slots");
  }

  /**
   * Completes one launched task at a time, oldest first; returns the most runs with a task launched
   * and not done at once. Notes the order runs got their first launch and their logical dates.
   */
  private int runOneTaskAtATime(List<String> started, Map<String, Instant> logicalDates) {
    Deque<LaunchTask> queue = new ArrayDeque<>(h.launches());
    Set<String> open = new HashSet<>();
    int most = 0;
    while (!queue.isEmpty()) {
      for (LaunchTask l : queue) {
        if (!started.contains(l.runId())) {
          started.add(l.runId());
          RunState run = h.stored(RunStores.RUNS, l.runId());
          logicalDates.put(l.runId(), run.logicalDate());
        }
        open.add(l.runId());
      }
      most = Math.max(most, open.size());
      LaunchTask next = queue.poll();
      h.succeed(next);
      open.remove(next.runId());
      queue.addAll(h.launches());
    }
    return most;
  }

  private static Instant slotOf(String runId, List<Instant> slots) {
    return slots.stream().filter(s -> runOf(s).equals(runId)).findFirst().orElseThrow();
  }

  private static String runOf(Instant slot) {
    return RunIds.forRequest(DAG, "backfill:" + DAG + "@" + slot);
  }

  private static Inbound.BackfillRequested backfill(String id, int maxActive) {
    return new Inbound.BackfillRequested(DAG, id, FROM, TO, maxActive, FROM);
  }

  private static DagSpec daily(Integer maxActiveRuns) {
    DagSpec one = Shapes.chain(1);
    return new DagSpec("0 0 * * *", one.task(), List.of(), null, null, false, null, null, null)
        .withMaxActiveRuns(maxActiveRuns);
  }

  private List<BackfillProgress> progress() {
    return h.allRunEvents().stream()
        .filter(BackfillProgress.class::isInstance)
        .map(BackfillProgress.class::cast)
        .toList();
  }

  private static BackfillProgress last(List<BackfillProgress> all) {
    return all.get(all.size() - 1);
  }

  private List<RunPhaseChanged> finalPhases() {
    return h.allRunEvents().stream()
        .filter(RunPhaseChanged.class::isInstance)
        .map(RunPhaseChanged.class::cast)
        .filter(p -> p.to().isFinal())
        .toList();
  }
}

package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.ConcurrencyPolicy;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import io.kontroler.core.validate.Problem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The DAG's partition starts at most {@code maxActiveRuns} of its runs at once, whatever asked for
 * them; the others wait in the order they were asked for.
 */
class MaxActiveRunsTest {
  private static final String DAG = "team-a/etl";
  private TopologyHarness h = new TopologyHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void tenRunsAskedForAtOnceRunTwoAtATimeAndAllFinishInTheOrderAskedFor() {
    h.publish(DAG, 1, limited(Shapes.chain(2), 2));
    List<String> asked = IntStream.range(0, 10).mapToObj(i -> id("r" + i)).toList();

    IntStream.range(0, 10).forEach(i -> h.request(DAG, "r" + i));
    List<String> startOrder = new ArrayList<>();
    int mostActive = runAsAnExecutorOneTaskAtATime(startOrder);

    assertThat(mostActive).isEqualTo(2);
    assertThat(startOrder).isEqualTo(asked);
    assertThat(finalPhases()).hasSize(10).allMatch(p -> p.to() == RunPhase.Succeeded);
    assertThat(h.contents(AdmissionStores.WAITING)).isEmpty();
    assertThat(h.contents(AdmissionStores.INDEX)).isEmpty();
    assertThat(h.contents(AdmissionStores.ADMISSIONS)).isEmpty();
  }

  @Test
  void aRunThatWaitsIsShownPendingSayingWhy() {
    h.publish(DAG, 1, limited(Shapes.chain(1), 2));
    h.request(DAG, "a");
    h.request(DAG, "b");

    h.request(DAG, "c");

    assertThat(phases(id("c")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.from()).isNull();
              assertThat(p.to()).isEqualTo(RunPhase.Pending);
              assertThat(p.message()).isEqualTo("waiting: 2 of 2 active runs (maxActiveRuns)");
            });
    assertThat(h.launches()).extracting(LaunchTask::runId).containsExactly(id("a"), id("b"));
  }

  @Test
  void theSameRequestTwiceWhileItWaitsQueuesItOnce() {
    h.publish(DAG, 1, limited(Shapes.chain(1), 1));
    h.request(DAG, "a");
    h.request(DAG, "b");

    h.request(DAG, "b");

    assertThat(h.contents(AdmissionStores.WAITING)).hasSize(1);
    h.drive();
    assertThat(finalPhases()).extracting(RunPhaseChanged::runId).containsExactly(id("a"), id("b"));
  }

  @Test
  void cancellingAWaitingRunTakesItOutOfTheQueue() {
    h.publish(DAG, 1, limited(Shapes.chain(1), 1));
    h.request(DAG, "a");
    h.request(DAG, "b");
    h.request(DAG, "c");

    h.command(DAG, new Inbound.CancelRun(DAG, id("b"), "not needed"));

    assertThat(phases(id("b")))
        .extracting(RunPhaseChanged::to)
        .containsExactly(RunPhase.Pending, RunPhase.Cancelled);
    assertThat(h.contents(AdmissionStores.WAITING)).hasSize(1);
    h.drive();
    assertThat(finalPhases())
        .extracting(RunPhaseChanged::runId, RunPhaseChanged::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(id("b"), RunPhase.Cancelled),
            org.assertj.core.groups.Tuple.tuple(id("a"), RunPhase.Succeeded),
            org.assertj.core.groups.Tuple.tuple(id("c"), RunPhase.Succeeded));
  }

  @Test
  void aRunBeyondTheWaitingCapIsRejectedNamingTheSetting() {
    h.close();
    h = new TopologyHarness(new AdmissionLimits(2, 10));
    h.publish(DAG, 1, limited(Shapes.chain(1), 1));
    h.request(DAG, "a");
    h.request(DAG, "b");
    h.request(DAG, "c");

    h.request(DAG, "d");

    assertThat(rejections())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.runId()).isEqualTo(id("d"));
              assertThat(r.problems())
                  .containsExactly(
                      new Problem(
                          "maxActiveRuns",
                          "Expected fewer than 2 runs of DAG 'team-a/etl' waiting"
                              + " (scheduler.max.waiting.runs), but 2 wait behind 1 active runs"
                              + " (maxActiveRuns 1)"));
            });
  }

  @Test
  void runsWaitingWhenTheLimitIsRaisedStartBeforeTheNextOne() {
    h.publish(DAG, 1, limited(Shapes.chain(1), 1));
    h.request(DAG, "a");
    h.request(DAG, "b");
    h.request(DAG, "c");
    assertThat(h.launches()).extracting(LaunchTask::runId).containsExactly(id("a"));

    h.publish(DAG, 2, limited(Shapes.chain(1), 3));
    h.request(DAG, "d");

    assertThat(h.launches()).extracting(LaunchTask::runId).containsExactly(id("b"), id("c"));
    assertThat(phases(id("d")))
        .extracting(RunPhaseChanged::message)
        .containsExactly("waiting: 3 of 3 active runs (maxActiveRuns)");
  }

  @Test
  void aDagWithoutALimitKeepsNothingForAdmission() {
    h.publish(DAG, 1, Shapes.chain(1));

    IntStream.range(0, 5).forEach(i -> h.request(DAG, "r" + i));

    assertThat(h.launches()).hasSize(5);
    assertThat(h.contents(AdmissionStores.ADMISSIONS)).isEmpty();
  }

  @Test
  void forbidRejectsTheNextSlotWhileTheScheduledRunWaits() {
    h.publish(DAG, 1, scheduled(1, ConcurrencyPolicy.Forbid));
    h.request(DAG, "by-hand");
    h.scheduled(DAG, "slot-1");

    h.scheduled(DAG, "slot-2");

    assertThat(rejections())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.problems())
                    .containsExactly(
                        new Problem(
                            "concurrencyPolicy",
                            "Expected no active scheduled run of DAG 'team-a/etl'"
                                + " (concurrencyPolicy Forbid), but run "
                                + id("slot-1")
                                + " is waiting (maxActiveRuns)")));
    h.drive();
    assertThat(finalPhases())
        .extracting(RunPhaseChanged::runId)
        .containsExactly(id("by-hand"), id("slot-1"));
  }

  @Test
  void replaceCancelsTheWaitingScheduledRunAndTheNewOneWaitsInItsPlace() {
    h.publish(DAG, 1, scheduled(1, ConcurrencyPolicy.Replace));
    h.request(DAG, "by-hand");
    h.scheduled(DAG, "slot-1");

    h.scheduled(DAG, "slot-2");

    assertThat(phases(id("slot-1")))
        .extracting(RunPhaseChanged::to, RunPhaseChanged::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                RunPhase.Pending, "waiting: 1 of 1 active runs (maxActiveRuns)"),
            org.assertj.core.groups.Tuple.tuple(RunPhase.Cancelled, "replaced by " + id("slot-2")));
    h.drive();
    assertThat(finalPhases())
        .extracting(RunPhaseChanged::runId, RunPhaseChanged::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(id("slot-1"), RunPhase.Cancelled),
            org.assertj.core.groups.Tuple.tuple(id("by-hand"), RunPhase.Succeeded),
            org.assertj.core.groups.Tuple.tuple(id("slot-2"), RunPhase.Succeeded));
  }

  @Test
  void replaceOfAnActiveScheduledRunFreesItsPlaceForTheNewOne() {
    h.publish(DAG, 1, scheduled(1, ConcurrencyPolicy.Replace));
    h.scheduled(DAG, "slot-1");
    h.launches();

    h.scheduled(DAG, "slot-2");

    assertThat(h.executorCommands())
        .filteredOn(c -> c instanceof KillTask || c instanceof LaunchTask)
        .extracting(c -> c.getClass().getSimpleName() + " " + c.runId())
        .containsExactly("KillTask " + id("slot-1"), "LaunchTask " + id("slot-2"));
  }

  /**
   * Completes one launched task at a time, oldest first, as an executor with one slot; returns the
   * most runs that had a task launched and not all their tasks done at once, and notes in {@code
   * started} the order in which runs got their first launch.
   */
  private int runAsAnExecutorOneTaskAtATime(List<String> started) {
    Deque<LaunchTask> queue = new ArrayDeque<>(h.launches());
    Set<String> open = new HashSet<>();
    int most = 0;
    while (!queue.isEmpty()) {
      for (LaunchTask l : queue) {
        if (!started.contains(l.runId())) {
          started.add(l.runId());
        }
        open.add(l.runId());
      }
      most = Math.max(most, open.size());
      LaunchTask next = queue.poll();
      h.succeed(next);
      if (next.task().equals("t1")) {
        open.remove(next.runId());
      }
      queue.addAll(h.launches());
    }
    return most;
  }

  private static DagSpec limited(DagSpec spec, int maxActiveRuns) {
    return spec.withMaxActiveRuns(maxActiveRuns);
  }

  private static DagSpec scheduled(int maxActiveRuns, ConcurrencyPolicy policy) {
    DagSpec one = Shapes.chain(1);
    return new DagSpec(
            "0 * * * *", one.task(), List.of(), null, null, false, null, policy, null, List.of())
        .withMaxActiveRuns(maxActiveRuns);
  }

  private static String id(String key) {
    return RunIds.forRequest(DAG, key);
  }

  private List<RunPhaseChanged> phases(String runId) {
    return h.allRunEvents().stream()
        .filter(RunPhaseChanged.class::isInstance)
        .map(RunPhaseChanged.class::cast)
        .filter(p -> p.runId().equals(runId))
        .toList();
  }

  private List<RunPhaseChanged> finalPhases() {
    return h.allRunEvents().stream()
        .filter(RunPhaseChanged.class::isInstance)
        .map(RunPhaseChanged.class::cast)
        .filter(p -> p.to().isFinal())
        .toList();
  }

  private List<RunRejected> rejections() {
    return h.allRunEvents().stream()
        .filter(RunRejected.class::isInstance)
        .map(RunRejected.class::cast)
        .toList();
  }
}

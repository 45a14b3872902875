package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.ConcurrencyPolicy;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import io.kontroler.core.validate.Problem;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DAG's partition applies its concurrency policy to the runs its schedule asks for. */
class ConcurrencyPolicyTest {
  private static final String DAG = "team-a/nightly";
  private static final String FIRST = RunIds.forRequest(DAG, "slot-1");
  private static final String SECOND = RunIds.forRequest(DAG, "slot-2");
  private final TopologyHarness h = new TopologyHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void allowStartsEveryScheduledRunWhileOthersAreActive() {
    h.publish(DAG, 1, withPolicy(ConcurrencyPolicy.Allow));

    h.scheduled(DAG, "slot-1");
    h.scheduled(DAG, "slot-2");

    assertThat(h.launches()).extracting(LaunchTask::runId).containsExactly(FIRST, SECOND);
    assertThat(rejections()).isEmpty();
  }

  @Test
  void forbidRejectsAScheduledRunWhileAnotherIsActiveNamingIt() {
    h.publish(DAG, 1, withPolicy(ConcurrencyPolicy.Forbid));
    h.scheduled(DAG, "slot-1");
    List<LaunchTask> first = h.launches();

    h.scheduled(DAG, "slot-2");

    assertThat(h.launches()).isEmpty();
    assertThat(rejections())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.runId()).isEqualTo(SECOND);
              assertThat(r.problems())
                  .containsExactly(
                      new Problem(
                          "concurrencyPolicy",
                          "Expected no active scheduled run of DAG 'team-a/nightly'"
                              + " (concurrencyPolicy Forbid), but run "
                              + FIRST
                              + " is Running"));
            });
    assertThat(h.<Object>stored(RunStores.RUNS, SECOND)).isNull();

    first.forEach(h::succeed);
    h.drive();
    h.scheduled(DAG, "slot-3");
    assertThat(h.launches())
        .extracting(LaunchTask::runId)
        .containsExactly(RunIds.forRequest(DAG, "slot-3"));
  }

  @Test
  void theSameSlotTwiceStartsOneRunAndRejectsNothing() {
    h.publish(DAG, 1, withPolicy(ConcurrencyPolicy.Forbid));

    h.scheduled(DAG, "slot-1");
    h.scheduled(DAG, "slot-1");

    assertThat(h.launches()).extracting(LaunchTask::runId).containsExactly(FIRST);
    assertThat(rejections()).isEmpty();
  }

  @Test
  void theSameSlotTwiceUnderReplaceKeepsTheRunItStarted() {
    h.publish(DAG, 1, withPolicy(ConcurrencyPolicy.Replace));

    h.scheduled(DAG, "slot-1");
    h.scheduled(DAG, "slot-1");

    assertThat(h.launches()).extracting(LaunchTask::runId).containsExactly(FIRST);
    assertThat(h.executorCommands()).isEmpty();
    assertThat(phasesOf(FIRST)).containsExactly(RunPhase.Pending, RunPhase.Running);
  }

  @Test
  void replaceCancelsTheActiveRunSayingWhichRunReplacedItAndStartsTheNewOne() {
    h.publish(DAG, 1, withPolicy(ConcurrencyPolicy.Replace));
    h.scheduled(DAG, "slot-1");
    LaunchTask first = h.launches().get(0);
    h.runEvents();

    h.scheduled(DAG, "slot-2");

    List<Object> commands = List.copyOf(h.executorCommands());
    assertThat(commands)
        .filteredOn(KillTask.class::isInstance)
        .map(KillTask.class::cast)
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.runId()).isEqualTo(FIRST);
              assertThat(k.attempt()).isEqualTo(first.attempt());
              assertThat(k.reason()).isEqualTo("replaced by " + SECOND);
            });
    assertThat(commands)
        .filteredOn(LaunchTask.class::isInstance)
        .map(c -> ((LaunchTask) c).runId())
        .containsExactly(SECOND);
    assertThat(phasesOf(FIRST)).containsExactly(RunPhase.Cancelled);
    assertThat(h.<ScheduledRuns>stored(RunStores.SCHEDULED, DAG))
        .isEqualTo(new ScheduledRuns(List.of(SECOND)));
  }

  @Test
  void runsRequestedByHandAreNotSubjectToThePolicyNorCountAgainstIt() {
    h.publish(DAG, 1, withPolicy(ConcurrencyPolicy.Forbid));
    h.request(DAG, "by-hand");

    h.scheduled(DAG, "slot-1");
    h.request(DAG, "by-hand-again");

    assertThat(h.launches()).hasSize(3);
    assertThat(rejections()).isEmpty();
  }

  @Test
  void aFinishedRunLeavesTheStoreOfActiveScheduledRuns() {
    h.publish(DAG, 1, withPolicy(ConcurrencyPolicy.Forbid));
    h.scheduled(DAG, "slot-1");
    assertThat(h.<ScheduledRuns>stored(RunStores.SCHEDULED, DAG))
        .isEqualTo(new ScheduledRuns(List.of(FIRST)));

    h.drive();

    assertThat(phasesOf(FIRST)).last().isEqualTo(RunPhase.Succeeded);
    assertThat(h.<ScheduledRuns>stored(RunStores.SCHEDULED, DAG)).isNull();
  }

  private static DagSpec withPolicy(ConcurrencyPolicy policy) {
    DagSpec chain = Shapes.chain(2);
    return new DagSpec("0 * * * *", chain.task(), List.of(), null, null, false, null, policy, null);
  }

  private List<RunRejected> rejections() {
    return h.allRunEvents().stream()
        .filter(RunRejected.class::isInstance)
        .map(RunRejected.class::cast)
        .toList();
  }

  private List<RunPhase> phasesOf(String runId) {
    return h.runEvents().stream()
        .filter(RunPhaseChanged.class::isInstance)
        .map(RunPhaseChanged.class::cast)
        .filter(p -> p.runId().equals(runId))
        .map(RunPhaseChanged::to)
        .toList();
  }
}

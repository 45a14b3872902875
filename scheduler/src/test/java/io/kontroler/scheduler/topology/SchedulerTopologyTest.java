package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Backoff;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.PodTemplate;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchedulerTopologyTest {
  private static final String DAG = "team-a/etl";
  private final TopologyHarness h = new TopologyHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void runsAChainToCompletionOneTaskAtATime() {
    h.publish(DAG, 1, Shapes.chain(3));
    h.request(DAG, "k1");

    for (String task : List.of("t0", "t1", "t2")) {
      List<LaunchTask> launches = h.launches();
      assertThat(launches).extracting(LaunchTask::task).containsExactly(task);
      assertThat(launches.get(0).attempt()).isEqualTo(1);
      assertThat(launches.get(0).runId()).isEqualTo(RunIds.forRequest(DAG, "k1"));
      h.succeed(launches.get(0));
    }

    assertThat(h.launches()).isEmpty();
    assertThat(runPhases()).containsExactly(RunPhase.Pending, RunPhase.Running, RunPhase.Succeeded);
  }

  @Test
  void launchesTheJoinOfADiamondOnlyAfterBothBranchesSucceeded() {
    h.publish(DAG, 1, Shapes.diamond());
    h.request(DAG, "k1");
    h.succeed(single(h.launches(), "a"));
    List<LaunchTask> branches = h.launches();
    assertThat(branches).extracting(LaunchTask::task).containsExactlyInAnyOrder("b", "c");

    h.succeed(branches.get(0));
    assertThat(h.launches()).isEmpty();
    h.succeed(branches.get(1));

    h.succeed(single(h.launches(), "d"));
    assertThat(runPhases()).last().isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void theSameIdempotencyKeyTwiceStartsOneRun() {
    h.publish(DAG, 1, Shapes.chain(2));
    h.request(DAG, "same");
    h.request(DAG, "same");

    assertThat(h.launches()).hasSize(1);
    assertThat(runPhases()).containsExactly(RunPhase.Pending, RunPhase.Running);
  }

  @Test
  void requestsWithoutAKeyAreDistinctRunsByTheirPosition() {
    h.publish(DAG, 1, Shapes.chain(1));
    h.command(DAG, new Inbound.RunRequested(DAG, null, Map.of(), null, null));
    h.command(DAG, new Inbound.RunRequested(DAG, null, Map.of(), null, null));

    List<LaunchTask> launches = h.launches();
    assertThat(launches).extracting(LaunchTask::runId).doesNotHaveDuplicates().hasSize(2);
    assertThat(launches.get(0).runId())
        .isEqualTo(RunIds.forRequest(DAG, RunIds.positionKey("kontroler.commands", 0, 0)));
  }

  @Test
  void poisonRecordsGoToDeadLettersAndTheStreamGoesOn() {
    h.publish(DAG, 1, Shapes.chain(1));
    h.rawCommand(DAG, "this is not json");
    h.rawCommand(DAG, "{\"type\":\"Bogus\",\"schemaVersion\":1}");
    h.rawCommand(DAG, "{\"type\":\"RunRequested\",\"schemaVersion\":9,\"dag\":\"team-a/etl\"}");
    h.command("team-a/missing", new Inbound.RunRequested("team-a/missing", null, null, "x", null));
    h.rawCommand(DAG, null);
    h.rawOutcome(DAG, "[1,2]");
    h.request(DAG, "good");

    List<DeadLetter> letters = h.deadLetters();
    assertThat(letters)
        .extracting(DeadLetter::reason)
        .satisfiesExactly(
            r -> assertThat(r).startsWith("not JSON"),
            r -> assertThat(r).contains("unknown message type 'Bogus'"),
            r -> assertThat(r).contains("unsupported schemaVersion 9"),
            r -> assertThat(r).contains("team-a/missing").contains("unknown"),
            r -> assertThat(r).contains("empty record value"),
            r -> assertThat(r).contains("expected a JSON object"));
    assertThat(letters.get(0).sourceTopic()).isEqualTo("kontroler.commands");
    assertThat(letters.get(0).offset()).isEqualTo(0);
    assertThat(letters.get(0).value()).isEqualTo("this is not json");
    assertThat(letters.get(3).offset()).isEqualTo(3);
    assertThat(letters.get(5).sourceTopic()).isEqualTo("kontroler.task-outcomes");
    assertThat(h.drive()).isEqualTo(1);
    assertThat(runPhases()).last().isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void messagesWithMissingFieldsAreDeadLettersNotFailures() {
    h.publish(DAG, 1, Shapes.chain(1));
    h.rawCommand(DAG, "{\"type\":\"RunRequested\",\"schemaVersion\":1}");
    h.rawCommand(DAG, "{\"type\":\"CancelRun\",\"schemaVersion\":1,\"dag\":\"team-a/etl\"}");
    h.rawOutcome(DAG, "{\"type\":\"TaskSucceeded\",\"schemaVersion\":1,\"dag\":\"team-a/etl\"}");
    h.request(DAG, "after");

    assertThat(h.deadLetters()).hasSize(1);
    assertThat(h.launches()).singleElement().satisfies(l -> assertThat(l.task()).isEqualTo("t0"));
  }

  @Test
  void aRecordKeyedByAnotherDagIsADeadLetter() {
    h.publish(DAG, 1, Shapes.chain(1));
    h.command("team-a/other", new Inbound.RunRequested(DAG, null, null, "k", null));

    assertThat(h.deadLetters())
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("key"));
    assertThat(h.launches()).isEmpty();
  }

  @Test
  void aRunThatCannotStartIsRejectedOnRunEvents() {
    DagSpec spec = Shapes.chain(1).withParameters(List.of(new ParameterSpec("region", "eu", null)));
    h.publish(DAG, 1, spec);
    h.request(DAG, "k", Map.of("undeclared", new ParameterValue.Literal("x")));

    assertThat(h.runEvents())
        .singleElement()
        .isInstanceOfSatisfying(
            RunRejected.class, r -> assertThat(r.problems().toString()).contains("undeclared"));
    assertThat(h.launches()).isEmpty();
    assertThat(h.deadLetters()).isEmpty();
  }

  @Test
  void runsPinTheVersionLatestAtRequestAndDeletedDagsTakeNoNewRuns() {
    h.publish(DAG, 1, Shapes.chain(2));
    h.request(DAG, "old");
    h.publish(DAG, 2, Shapes.chain(1));
    h.request(DAG, "new");
    List<LaunchTask> first = h.launches();
    assertThat(first).extracting(LaunchTask::dagVersion).containsExactly(1, 2);

    h.succeed(first.get(0));
    assertThat(h.launches()).singleElement().satisfies(l -> assertThat(l.task()).isEqualTo("t1"));

    h.delete(DAG);
    h.request(DAG, "after-delete");
    assertThat(h.launches()).isEmpty();
    assertThat(h.deadLetters())
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("deleted"));
  }

  @Test
  void retriesAfterTheBackoffWhenTheWallClockPassesTheTimer() {
    TaskSpec flaky = Shapes.task("flaky", List.of()).withBackoff(new Backoff(1, 5, 1.0, 0));
    h.publish(DAG, 1, DagSpec.of(List.of(flaky)));
    h.request(DAG, "k");
    LaunchTask first = single(h.launches(), "flaky");
    h.outcome(
        new RunEvent.TaskFailed(
            first.runId(), DAG, "flaky", 1, 1, FailureKind.EXITED, "exit 1", TopologyHarness.T0));

    h.driver.advanceWallClockTime(Duration.ofSeconds(4));
    assertThat(h.launches()).isEmpty();
    h.driver.advanceWallClockTime(Duration.ofSeconds(2));

    LaunchTask retry = single(h.launches(), "flaky");
    assertThat(retry.attempt()).isEqualTo(2);
    h.succeed(retry);
    assertThat(runPhases()).last().isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void killsAndFailsATaskThatRunsPastItsDeadline() {
    TaskSpec slow =
        Shapes.task("slow", List.of())
            .withPodTemplate(PodTemplate.EMPTY.withActiveDeadlineSeconds(30L));
    h.publish(DAG, 1, DagSpec.of(List.of(slow)));
    h.request(DAG, "k");
    LaunchTask launch = single(h.launches(), "slow");
    h.outcome(new RunEvent.TaskStarted(launch.runId(), DAG, "slow", 1, TopologyHarness.T0));

    h.driver.advanceWallClockTime(Duration.ofSeconds(31));

    assertThat(h.executorCommands())
        .singleElement()
        .isInstanceOfSatisfying(KillTask.class, k -> assertThat(k.attempt()).isEqualTo(1));
    assertThat(runPhases()).last().isEqualTo(RunPhase.Failed);
  }

  @Test
  void cancelKillsRunningTasksAndEndsTheRunCancelled() {
    h.publish(DAG, 1, Shapes.chain(3));
    h.request(DAG, "k");
    LaunchTask launch = single(h.launches(), "t0");
    h.outcome(new RunEvent.TaskStarted(launch.runId(), DAG, "t0", 1, TopologyHarness.T0));

    h.command(DAG, new Inbound.CancelRun(DAG, launch.runId(), "no longer needed"));

    assertThat(h.executorCommands())
        .singleElement()
        .isInstanceOfSatisfying(KillTask.class, k -> assertThat(k.task()).isEqualTo("t0"));
    assertThat(runPhases()).last().isEqualTo(RunPhase.Cancelled);
    h.outcome(new RunEvent.TaskSucceeded(launch.runId(), DAG, "t0", 1, TopologyHarness.T0));
    assertThat(h.launches()).isEmpty();
  }

  @Test
  void aFinishedRunsStateIsReleasedAfterTheRetention() {
    h.publish(DAG, 1, Shapes.chain(2));
    h.request(DAG, "k");
    String runId = RunIds.forRequest(DAG, "k");
    h.drive();
    assertThat(runPhases()).last().isEqualTo(RunPhase.Succeeded);

    h.driver.advanceWallClockTime(TopologyHarness.RETENTION.minusMinutes(1));
    assertThat(h.driver.getKeyValueStore(RunStores.RUNS).get(runId)).isNotNull();

    h.driver.advanceWallClockTime(Duration.ofMinutes(2));
    assertThat(h.driver.getKeyValueStore(RunStores.RUNS).get(runId)).isNull();
    assertThat(h.driver.getKeyValueStore(RunStores.TASKS).approximateNumEntries()).isZero();
    assertThat(h.driver.getKeyValueStore(RunStores.EXPIRIES).approximateNumEntries()).isZero();

    h.command(DAG, new Inbound.RetryRun(DAG, runId));
    assertThat(h.launches()).isEmpty();
  }

  @Test
  void aRunRetriedAfterItFinishedIsKeptForTheRetentionAfterItFinishesAgain() {
    TaskSpec once = Shapes.task("once", List.of());
    h.publish(DAG, 1, DagSpec.of(List.of(once)));
    h.request(DAG, "k");
    LaunchTask first = single(h.launches(), "once");
    h.outcome(
        new RunEvent.TaskFailed(
            first.runId(), DAG, "once", 1, 1, FailureKind.EXITED, "boom", TopologyHarness.T0));
    assertThat(runPhases()).last().isEqualTo(RunPhase.Failed);

    h.driver.advanceWallClockTime(Duration.ofMinutes(30));
    h.command(DAG, new Inbound.RetryRun(DAG, first.runId()));
    LaunchTask second = single(h.launches(), "once");
    var later = TopologyHarness.T0.plus(Duration.ofMinutes(30));
    h.outcome(new RunEvent.TaskStarted(second.runId(), DAG, "once", 2, later));
    h.outcome(new RunEvent.TaskSucceeded(second.runId(), DAG, "once", 2, later));
    assertThat(runPhases()).last().isEqualTo(RunPhase.Succeeded);

    h.driver.advanceWallClockTime(Duration.ofMinutes(31)); // past the first finish's expiry
    assertThat(h.driver.getKeyValueStore(RunStores.RUNS).get(first.runId())).isNotNull();
    h.driver.advanceWallClockTime(Duration.ofMinutes(30));
    assertThat(h.driver.getKeyValueStore(RunStores.RUNS).get(first.runId())).isNull();
  }

  @Test
  void duplicateAndStaleOutcomesLaunchNothingTwice() {
    h.publish(DAG, 1, Shapes.chain(2));
    h.request(DAG, "k");
    LaunchTask t0 = single(h.launches(), "t0");
    h.succeed(t0);
    h.succeed(t0);
    h.outcome(new RunEvent.TaskSucceeded(t0.runId(), DAG, "t0", 7, TopologyHarness.T0));

    assertThat(h.launches()).extracting(LaunchTask::task).containsExactly("t1");
  }

  @Test
  void aLargeFanOutCompletesWithEveryTaskLaunchedOnce() {
    h.publish(DAG, 1, Shapes.fanout(200));
    h.request(DAG, "k");

    assertThat(h.drive()).isEqualTo(202);
    assertThat(runPhases()).last().isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void aRunNameOverTheLimitIsRejectedOnRunEvents() {
    h.publish(DAG, 1, Shapes.chain(2));

    h.command(DAG, new Inbound.RunRequested(DAG, "n".repeat(254), Map.of(), "long-name", null));

    assertThat(h.launches()).isEmpty();
    assertThat(h.runEvents())
        .singleElement()
        .isInstanceOfSatisfying(
            RunRejected.class,
            r ->
                assertThat(r.problems())
                    .extracting(p -> p.path() + ": " + p.message())
                    .containsExactly(
                        "runName: run name of 254 characters is over the limit of 253"));
  }

  private List<RunPhase> runPhases() {
    return h.allRunEvents().stream()
        .filter(RunPhaseChanged.class::isInstance)
        .map(e -> ((RunPhaseChanged) e).to())
        .toList();
  }

  private static LaunchTask single(List<LaunchTask> launches, String task) {
    assertThat(launches).extracting(LaunchTask::task).containsExactly(task);
    return launches.get(0);
  }
}

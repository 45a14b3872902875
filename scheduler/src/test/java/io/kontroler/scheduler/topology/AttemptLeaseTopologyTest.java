package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.TaskPhase;
import io.kontroler.core.run.TaskState;
import io.kontroler.core.shape.Shapes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttemptLeaseTopologyTest {
  private static final String DAG = "team-a/etl";
  private final TopologyHarness h = new TopologyHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void anExecutorThatStopsHeartbeatingHasItsAttemptsKilledAndRetriedAsLostAfterTheLease() {
    h.publish(DAG, 1, Shapes.chain(2));
    h.request(DAG, "k");
    LaunchTask first = single(h.launches());
    h.accept(first, "exec-1");
    h.outcome(new RunEvent.TaskStarted(first.runId(), DAG, "t0", 1, TopologyHarness.T0));
    h.heartbeat("exec-1");

    // Another executor lives on: the partition's records move on a lease past exec-1's last one.
    for (int second = 1; second <= 6; second++) {
      h.advance(Duration.ofSeconds(1));
      h.heartbeat("exec-live");
    }
    h.advance(Duration.ofMillis(100));
    assertThat(h.executorCommands()).isEmpty();
    h.heartbeat("exec-live");
    h.advance(Duration.ofMillis(100));

    List<RunCommand> sent = h.executorCommands();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0))
        .isInstanceOfSatisfying(
            KillTask.class,
            k -> {
              assertThat(k.task()).isEqualTo("t0");
              assertThat(k.attempt()).isEqualTo(1);
              assertThat(k.reason()).contains("exec-1").contains("6000 ms");
            });
    assertThat(sent.get(1))
        .isInstanceOfSatisfying(
            LaunchTask.class,
            l -> {
              assertThat(l.task()).isEqualTo("t0");
              assertThat(l.attempt()).isEqualTo(2);
            });
    assertThat(taskChanges())
        .filteredOn(c -> c.to() == TaskPhase.Retrying)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.failureKind()).isEqualTo(FailureKind.LOST);
              assertThat(c.message()).contains("exec-1").contains("lease of 6000 ms");
            });
    assertThat(h.contents(AttemptLeases.HOLDERS)).isEmpty();
    assertThat(h.contents(AttemptLeases.EXECUTORS)).containsOnlyKeys("exec-live");
    assertThat(h.metrics.lostAttempts()).isEqualTo(1);
  }

  @Test
  void anExecutorThatKeepsHeartbeatingKeepsItsAttemptsWhileASilentOneLosesTheirs() {
    h.publish(DAG, 1, Shapes.chain(1));
    h.request(DAG, "live");
    h.request(DAG, "silent");
    List<LaunchTask> launches = h.launches();
    h.accept(launches.get(0), "exec-live");
    h.accept(launches.get(1), "exec-silent");

    for (int i = 0; i < 10; i++) {
      h.advance(Duration.ofSeconds(2));
      h.heartbeat("exec-live");
    }

    List<RunCommand> sent = h.executorCommands();
    assertThat(sent).extracting(RunCommand::runId).containsOnly(launches.get(1).runId());
    assertThat(sent).hasSize(2);
    assertThat(h.contents(AttemptLeases.HOLDERS)).hasSize(1);
    assertThat(h.contents(AttemptLeases.EXECUTORS)).containsOnlyKeys("exec-live");
    h.succeed(launches.get(0));
    assertThat(h.contents(AttemptLeases.HOLDERS)).isEmpty();
  }

  @Test
  void anAdoptedAttemptFollowsItsNewHolder() {
    h.publish(DAG, 1, Shapes.chain(1));
    h.request(DAG, "k");
    LaunchTask launch = single(h.launches());
    h.accept(launch, "exec-1");
    h.accept(launch, "exec-2");

    for (int i = 0; i < 5; i++) {
      h.advance(Duration.ofSeconds(2));
      h.heartbeat("exec-2");
    }

    assertThat(h.executorCommands()).isEmpty();
    TaskState t0 = (TaskState) h.contents(RunStores.TASKS).get(launch.runId() + "/t0");
    assertThat(t0.executor()).isEqualTo("exec-2");
  }

  @Test
  void aLateHeartbeatOrOutcomeAfterTheLeaseExpiredChangesNothingTwice() {
    h.publish(DAG, 1, Shapes.chain(1));
    h.request(DAG, "k");
    LaunchTask first = single(h.launches());
    h.accept(first, "exec-1");
    h.advance(Duration.ofSeconds(7));
    h.heartbeat("exec-live");
    h.advance(Duration.ofMillis(100));
    assertThat(h.executorCommands()).hasSize(2);
    h.runEvents();

    h.heartbeat("exec-1");
    h.succeed(first);
    h.accept(first, "exec-1");
    h.advance(Duration.ofSeconds(7));
    h.heartbeat("exec-live");
    h.advance(Duration.ofMillis(100));

    assertThat(h.executorCommands()).isEmpty();
    assertThat(h.runEvents()).isEmpty();
    assertThat(h.metrics.lostAttempts()).isEqualTo(1);
  }

  @Test
  void aSchedulerThatReadsItsPartitionLateFailsNoExecutorThatKeptHeartbeating() {
    h.publish(DAG, 1, Shapes.chain(1));
    h.request(DAG, "k");
    LaunchTask launch = single(h.launches());
    h.accept(launch, "exec-1");
    h.heartbeat("exec-1");

    // The scheduler reads nothing for 15 s (a starved CPU, a restore), then the backlog: the
    // heartbeats exec-1 sent every second meanwhile, appended on time, read late.
    h.advance(Duration.ofSeconds(15));
    for (int second = 1; second <= 15; second++) {
      h.heartbeatAppendedAt("exec-1", TopologyHarness.T0.plusSeconds(second));
    }
    h.advance(Duration.ofMillis(100));

    assertThat(h.executorCommands()).isEmpty();
    assertThat(h.metrics.lostAttempts()).isZero();
  }

  @Test
  void withNoExecutorLeftTheWallClockFailsTheAttemptsAfterThreeQuietLeases() {
    h.publish(DAG, 1, Shapes.chain(1));
    h.request(DAG, "k");
    LaunchTask launch = single(h.launches());
    h.accept(launch, "exec-1");

    h.advance(Duration.ofMillis(LeaseKeeper.QUIET_LEASES * 6000L - 100));
    assertThat(h.executorCommands()).isEmpty();
    h.advance(Duration.ofMillis(200));

    assertThat(h.executorCommands())
        .hasSize(2)
        .first()
        .isInstanceOfSatisfying(KillTask.class, k -> assertThat(k.attempt()).isEqualTo(1));
  }

  @Test
  void everyKnownExecutorGetsAFullLeaseOfGraceWhenTheStreamTaskStartsOnANewOwner() {
    h.publish(DAG, 1, Shapes.chain(1));
    h.request(DAG, "k");
    LaunchTask launch = single(h.launches());
    h.accept(launch, "exec-1");
    h.heartbeat("exec-1");

    // The partition moves to another instance an hour later (its stores restored from the
    // changelogs), long after the last heartbeat the stores hold.
    try (TopologyHarness owner =
        new TopologyHarness(TopologyHarness.T0.plus(Duration.ofHours(1)))) {
      owner.restoreFrom(h);
      // exec-1 is never heard of again; exec-2 lives. The grace counts from the first record read.
      for (int second = 1; second <= 7; second++) {
        owner.advance(Duration.ofSeconds(1));
        owner.heartbeat("exec-2");
      }
      owner.advance(Duration.ofMillis(900));
      assertThat(owner.executorCommands()).isEmpty();
      owner.heartbeat("exec-2");
      owner.advance(Duration.ofMillis(100));

      assertThat(owner.executorCommands())
          .hasSize(2)
          .first()
          .isInstanceOfSatisfying(KillTask.class, k -> assertThat(k.attempt()).isEqualTo(1));
    }
  }

  @Test
  void aHeartbeatKeyedByAnotherExecutorIsADeadLetter() {
    h.rawOutcome(
        "executor:someone-else",
        "{\"type\":\"ExecutorHeartbeat\",\"schemaVersion\":1,\"executor\":\"exec-1\"}");

    assertThat(h.deadLetters())
        .singleElement()
        .extracting(DeadLetter::reason)
        .satisfies(r -> assertThat(r).contains("key"));
    assertThat(h.contents(AttemptLeases.EXECUTORS)).isEmpty();
  }

  private List<TaskPhaseChanged> taskChanges() {
    return h.allRunEvents().stream()
        .filter(TaskPhaseChanged.class::isInstance)
        .map(TaskPhaseChanged.class::cast)
        .toList();
  }

  private static LaunchTask single(List<LaunchTask> launches) {
    assertThat(launches).hasSize(1);
    return launches.get(0);
  }
}

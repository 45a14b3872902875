package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import io.kontroler.core.message.PoolMessage.PoolStatus;
import io.kontroler.core.pool.PoolState;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskWaitingForPool;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shared pools through the topology: the DAG side asks kontroler.pools, the pool's owner grants on
 * kontroler.commands, releases and lease expiry free slots, and the pool's status is published.
 */
class PoolTopologyTest {
  private static final String POOL = "warehouse";
  private final TopologyHarness h = new TopologyHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static DagSpec pooled(String... tasks) {
    return DagSpec.of(
        java.util.Arrays.stream(tasks).map(t -> Shapes.task(t, List.of()).withPool(POOL)).toList());
  }

  private List<PoolStatus> statuses() {
    return h.runEvents().stream()
        .filter(PoolStatus.class::isInstance)
        .map(PoolStatus.class::cast)
        .toList();
  }

  @Test
  void threeDagsShareAPoolOfTwoAndEachReleasedSlotStartsTheNextInTheOrderTheyAsked() {
    h.pool(new PoolSlotsSet(POOL, 2, "admin", TopologyHarness.T0));
    for (String dag : List.of("a/one", "b/two", "c/three")) {
      h.publish(dag, 1, pooled("load"));
      h.request(dag, "k");
    }

    List<LaunchTask> first = h.launches();
    assertThat(first).extracting(LaunchTask::dag).containsExactly("a/one", "b/two");
    List<Object> events = h.runEvents();
    assertThat(events)
        .filteredOn(TaskWaitingForPool.class::isInstance)
        .extracting(e -> ((TaskWaitingForPool) e).dag())
        .containsExactly("a/one", "b/two", "c/three");
    PoolStatus last =
        (PoolStatus) events.stream().filter(PoolStatus.class::isInstance).reduce((x, y) -> y).get();
    assertThat(last.holders())
        .extracting(PoolMessage.PoolHolder::dag)
        .containsExactly("a/one", "b/two");
    assertThat(last.waiting()).isEqualTo(1);
    assertThat(h.<Object>stored(PoolStores.HOLDS, RunStores.taskKey(first.get(0).runId(), "load")))
        .isEqualTo(new HeldSlot(POOL, "a/one", first.get(0).runId(), "load", 1));

    h.succeed(first.get(1));

    assertThat(h.launches()).extracting(LaunchTask::dag).containsExactly("c/three");
    assertThat(h.<Object>stored(PoolStores.HOLDS, RunStores.taskKey(first.get(1).runId(), "load")))
        .isNull();
    PoolState state = h.stored(PoolStores.POOLS, POOL);
    assertThat(state.holders())
        .extracting(x -> x.claim().dag())
        .containsExactly("a/one", "c/three");
    assertThat(state.queue()).isEmpty();
  }

  @Test
  void anUndefinedPoolHoldsEveryRequestUntilItsSlotsAreSetAndRaisingThemGrantsAtOnce() {
    h.publish("a/one", 1, pooled("x", "y", "z"));
    h.request("a/one", "k");

    assertThat(h.launches()).isEmpty();
    assertThat(statuses())
        .last()
        .extracting(PoolStatus::defined, PoolStatus::waiting)
        .containsExactly(false, 3);

    h.pool(new PoolSlotsSet(POOL, 1, "admin", TopologyHarness.T0));
    assertThat(h.launches()).extracting(LaunchTask::task).containsExactly("x");

    h.pool(new PoolSlotsSet(POOL, 3, "admin", TopologyHarness.T0));
    assertThat(h.launches()).extracting(LaunchTask::task).containsExactly("y", "z");
    assertThat(h.drive()).isZero();
  }

  @Test
  void aHolderWhoseRenewalsStopLosesItsSlotAfterTheLeaseAndTheNextRunStarts() {
    h.pool(new PoolSlotsSet(POOL, 1, "admin", TopologyHarness.T0));
    h.publish("a/one", 1, pooled("load"));
    h.publish("b/two", 1, pooled("load"));
    h.request("a/one", "k");
    h.request("b/two", "k");
    LaunchTask held = h.launches().get(0);
    assertThat(held.dag()).isEqualTo("a/one");

    // The run fails as INTERNAL behind the pool's back: its slot is never released.
    h.driver
        .<String, Object>getKeyValueStore(PoolStores.HOLDS)
        .delete(RunStores.taskKey(held.runId(), "load"));
    h.advance(Duration.ofSeconds(59));
    assertThat(h.launches()).isEmpty();

    h.advance(Duration.ofSeconds(2));

    assertThat(h.launches()).extracting(LaunchTask::dag).containsExactly("b/two");
  }

  @Test
  void theDagSideRenewsTheSlotsOfItsActiveAttemptsSoTheyOutliveTheLease() {
    h.pool(new PoolSlotsSet(POOL, 1, "admin", TopologyHarness.T0));
    h.publish("a/one", 1, pooled("load"));
    h.publish("b/two", 1, pooled("load"));
    h.request("a/one", "k");
    h.request("b/two", "k");
    LaunchTask held = h.launches().get(0);

    for (int i = 0; i < 30; i++) {
      h.advance(Duration.ofSeconds(10)); // five minutes, five leases
    }

    assertThat(h.launches()).isEmpty();
    h.succeed(held);
    assertThat(h.launches()).extracting(LaunchTask::dag).containsExactly("b/two");
  }

  @Test
  void aCancelledRunGivesBackItsSlotAndItsPlaceInTheQueue() {
    h.pool(new PoolSlotsSet(POOL, 1, "admin", TopologyHarness.T0));
    h.publish("a/one", 1, pooled("x", "y"));
    h.publish("b/two", 1, pooled("load"));
    h.request("a/one", "k");
    h.request("b/two", "k");
    assertThat(h.launches()).extracting(LaunchTask::task).containsExactly("x");

    String runId = RunIds.forRequest("a/one", "k");
    h.command("a/one", new io.kontroler.core.message.Inbound.CancelRun("a/one", runId, "stop"));

    assertThat(h.launches()).extracting(LaunchTask::dag).containsExactly("b/two");
    PoolState state = h.stored(PoolStores.POOLS, POOL);
    assertThat(state.queue()).isEmpty();
    assertThat(h.allRunEvents())
        .filteredOn(RunPhaseChanged.class::isInstance)
        .extracting(e -> ((RunPhaseChanged) e).to())
        .contains(RunPhase.Cancelled);
  }

  @Test
  void aRetriedAttemptReleasesItsSlotAndQueuesBehindTheOthers() {
    h.pool(new PoolSlotsSet(POOL, 1, "admin", TopologyHarness.T0));
    h.publish(
        "a/one",
        1,
        DagSpec.of(
            List.of(
                Shapes.task("load", List.of())
                    .withPool(POOL)
                    .withBackoff(io.kontroler.core.dag.Backoff.ofLimit(1)))));
    h.publish("b/two", 1, pooled("load"));
    h.request("a/one", "k");
    h.request("b/two", "k");
    LaunchTask first = h.launches().get(0);

    h.outcome(
        new RunEvent.TaskFailed(
            first.runId(),
            first.dag(),
            "load",
            1,
            1,
            io.kontroler.core.run.FailureKind.EXITED,
            "exit 1",
            TopologyHarness.T0));

    List<LaunchTask> next = h.launches();
    assertThat(next).extracting(LaunchTask::dag).containsExactly("b/two");
    h.succeed(next.get(0));
    assertThat(h.launches())
        .extracting(LaunchTask::dag, LaunchTask::attempt)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a/one", 2));
  }

  @Test
  void aRecordOfThePoolsTopicThatIsNoPoolMessageOrIsKeyedByAnotherPoolIsADeadLetter() {
    h.rawPool(POOL, "{not json");
    h.pool(new PoolSlotsSet(POOL, 1, "admin", TopologyHarness.T0));
    h.driver
        .createInputTopic(
            io.kontroler.core.message.Topics.DEFAULT.pools(),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())
        .pipeInput(
            "other",
            io.kontroler.core.message.MessageCodec.encode(
                new PoolSlotsSet(POOL, 5, "admin", TopologyHarness.T0)));

    assertThat(h.deadLetters())
        .extracting(DeadLetter::reason)
        .hasSize(2)
        .last()
        .isEqualTo("Expected the record key to be the pool 'warehouse', but got other");
    PoolState state = h.stored(PoolStores.POOLS, POOL);
    assertThat(state.slots()).isEqualTo(1);
  }
}

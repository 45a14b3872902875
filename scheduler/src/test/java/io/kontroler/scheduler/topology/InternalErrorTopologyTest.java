package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Backoff;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunEvent;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.RunState;
import io.kontroler.core.shape.Shapes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InternalErrorTopologyTest {
  private static final String DAG = "team-a/etl";
  private final TopologyHarness h = new TopologyHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aPoisonValueThatThrowsInsideTheMachineFailsTheRunAsInternalAndLeavesTheStoresAsTheyWere() {
    h.publish(DAG, 1, Shapes.chain(3));
    h.request(DAG, "k");
    LaunchTask t0 = h.launches().get(0);
    h.accept(t0, "exec-1");
    h.outcome(new RunEvent.TaskStarted(t0.runId(), DAG, "t0", 1, TopologyHarness.T0));
    // The poison: the state of t1, which t0's success reaches, is gone.
    h.driver.getKeyValueStore(RunStores.TASKS).delete(t0.runId() + "/t1");
    Map<String, Map<Object, Object>> before = snapshot();
    h.runEvents();

    h.outcome(new RunEvent.TaskSucceeded(t0.runId(), DAG, "t0", 1, TopologyHarness.T0));

    Map<String, Map<Object, Object>> after = snapshot();
    for (String store :
        List.of(
            RunStores.TASKS,
            RunStores.TIMERS,
            RunStores.HEADS,
            RunStores.VERSIONS,
            AttemptLeases.EXECUTORS,
            AttemptLeases.HOLDERS)) {
      assertThat(after.get(store)).as(store).isEqualTo(before.get(store));
    }
    RunState was = (RunState) before.get(RunStores.RUNS).get(t0.runId());
    RunState is = (RunState) after.get(RunStores.RUNS).get(t0.runId());
    assertThat(is.phase()).isEqualTo(RunPhase.Failed);
    assertThat(is.message()).startsWith("INTERNAL: ").contains("NullPointerException");
    assertThat(is).isEqualTo(was.withPhase(RunPhase.Failed, is.finishedAt(), is.message()));
    assertThat(after.get(RunStores.EXPIRIES)).hasSize(before.get(RunStores.EXPIRIES).size() + 1);

    assertThat(h.runEvents())
        .singleElement()
        .isInstanceOfSatisfying(
            RunPhaseChanged.class,
            c -> {
              assertThat(c.from()).isEqualTo(RunPhase.Running);
              assertThat(c.to()).isEqualTo(RunPhase.Failed);
              assertThat(c.message()).contains("INTERNAL").contains("TaskSucceeded");
            });
    assertThat(h.executorCommands())
        .singleElement()
        .isInstanceOfSatisfying(KillTask.class, k -> assertThat(k.task()).isEqualTo("t0"));
    assertThat(h.deadLetters())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.sourceTopic()).isEqualTo("kontroler.task-outcomes");
              assertThat(d.key()).isEqualTo(DAG);
              assertThat(d.offset()).isEqualTo(2);
              assertThat(d.reason())
                  .startsWith("INTERNAL: java.lang.NullPointerException")
                  .contains("TaskSucceeded")
                  .contains(t0.runId())
                  .contains("task 't0', attempt 1");
              assertThat(d.value()).contains("TaskSucceeded");
            });
    assertThat(h.metrics.internalErrors()).isEqualTo(1);
    assertThat(h.metrics.deadLetters()).isEqualTo(1);

    h.outcome(new RunEvent.TaskSucceeded(t0.runId(), DAG, "t0", 1, TopologyHarness.T0));
    assertThat(h.deadLetters()).isEmpty();
    assertThat(h.launches()).isEmpty();
  }

  @Test
  void aDeadLetterCopiesATruncatedValue() {
    String huge = "x".repeat(100_000);
    h.rawCommand(DAG, huge);

    DeadLetter letter = h.deadLetters().get(0);
    assertThat(letter.value()).hasSizeLessThan(RunDriver.DEAD_LETTER_VALUE_CHARS + 100);
    assertThat(letter.value()).startsWith("xxxx").endsWith("(100000 characters in all)");
    assertThat(letter.reason()).hasSizeLessThan(InternalFailures.MESSAGE_CHARS + 100);
  }

  @Test
  void aTimerThatThrowsIsPutBackAndFiresOnceTheCauseIsGone() {
    TaskSpec flaky = Shapes.task("flaky", List.of()).withBackoff(new Backoff(1, 5, 1.0, 0));
    h.publish(DAG, 1, DagSpec.of(List.of(flaky)));
    h.request(DAG, "k");
    LaunchTask first = h.launches().get(0);
    h.outcome(
        new RunEvent.TaskFailed(
            first.runId(), DAG, "flaky", 1, 1, FailureKind.EXITED, "exit 1", TopologyHarness.T0));
    KeyValueStore<String, RunState> runs = h.driver.getKeyValueStore(RunStores.RUNS);
    RunState good = runs.get(first.runId());
    // The poison: the run names a DAG version this scheduler does not have.
    runs.put(first.runId(), withVersion(good, 99));

    h.driver.advanceWallClockTime(Duration.ofSeconds(6));
    assertThat(h.launches()).isEmpty();
    assertThat(h.metrics.timerRetries()).isPositive();
    assertThat(h.contents(RunStores.TIMERS)).hasSize(1);

    runs.put(first.runId(), good);
    h.driver.advanceWallClockTime(Duration.ofSeconds(5));

    assertThat(h.launches()).singleElement().satisfies(l -> assertThat(l.attempt()).isEqualTo(2));
    assertThat(h.contents(RunStores.TIMERS)).isEmpty();
  }

  private Map<String, Map<Object, Object>> snapshot() {
    Map<String, Map<Object, Object>> out = new HashMap<>();
    TopologyHarness.STORES.forEach(s -> out.put(s, h.contents(s)));
    return out;
  }

  private static RunState withVersion(RunState r, int version) {
    return new RunState(
        r.runId(),
        r.dag(),
        version,
        r.runName(),
        r.phase(),
        r.parameters(),
        r.counts(),
        r.cancelRequested(),
        r.requestedAt(),
        r.startedAt(),
        r.finishedAt(),
        r.message());
  }
}

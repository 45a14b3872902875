package io.kontroler.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Backoff;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.message.PoolMessage.SlotReleased;
import io.kontroler.core.message.PoolMessage.SlotRequested;
import io.kontroler.core.run.RunCommand.SendPool;
import io.kontroler.core.run.RunCommand.TaskWaitingForPool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's tasks with a {@code pool}: each attempt waits for its slot and gives it back. */
class PoolRunTest {
  private static final String POOL = "warehouse";

  private static TaskSpec pooled(String name, String... after) {
    return RunHarness.task(name, after).withPool(POOL);
  }

  /** What the run sent to pools since {@code from}, as "request load#1" / "release load#1". */
  private static List<String> poolMessages(RunHarness h, int from) {
    List<String> out = new ArrayList<>();
    for (RunCommand c : h.commands.subList(from, h.commands.size())) {
      if (c instanceof SendPool s) {
        PoolMessage m = s.message();
        assertThat(m.pool()).isEqualTo(POOL);
        if (m instanceof SlotRequested r) {
          out.add("request " + r.task() + "#" + r.attempt());
        } else if (m instanceof SlotReleased r) {
          out.add("release " + r.task() + "#" + r.attempt());
        }
      }
    }
    return out;
  }

  private static Transition grant(RunHarness h, String task, int attempt) {
    return h.apply(
        new RunEvent.PoolSlotGranted(
            RunHarness.RUN, RunHarness.DAG, task, attempt, POOL, h.tick()));
  }

  @Test
  void aReadyPooledTaskWaitsPendingForItsSlotThenLaunchesAndGivesItBackWhenItSucceeds() {
    RunHarness h = RunHarness.of(pooled("load"), RunHarness.task("free"), pooled("report", "load"));

    h.start();

    assertThat(h.launched()).containsExactly("free");
    assertThat(h.phase("load")).isEqualTo(TaskPhase.Pending);
    assertThat(h.tasks.get("load").waitingForPool()).isTrue();
    assertThat(poolMessages(h, 0)).containsExactly("request load#1");
    assertThat(h.commands)
        .filteredOn(c -> c instanceof TaskWaitingForPool)
        .containsExactly(
            new TaskWaitingForPool(
                RunHarness.RUN, RunHarness.DAG, "load", 1, POOL, h.run.startedAt()));

    int mark = h.commands.size();
    grant(h, "load", 1);

    assertThat(h.phase("load")).isEqualTo(TaskPhase.Queued);
    assertThat(h.tasks.get("load").waitingForPool()).isFalse();
    assertThat(h.launched()).containsExactly("free", "load");
    assertThat(poolMessages(h, mark)).isEmpty();

    h.startTask("load");
    mark = h.commands.size();
    h.succeed("load");

    assertThat(poolMessages(h, mark)).containsExactly("release load#1", "request report#1");
    assertThat(h.phase("report")).isEqualTo(TaskPhase.Pending);
  }

  @Test
  void aFailedAttemptGivesItsSlotBackAndItsRetryAsksAgain() {
    RunHarness h = RunHarness.of(pooled("load").withBackoff(new Backoff(1, 0, 1.0, 0)));
    h.start();
    grant(h, "load", 1);

    int mark = h.commands.size();
    h.fail("load", 1);

    assertThat(poolMessages(h, mark)).containsExactly("release load#1", "request load#2");
    assertThat(h.phase("load")).isEqualTo(TaskPhase.Retrying);
    assertThat(h.launched()).containsExactly("load");

    grant(h, "load", 2);
    assertThat(h.launched()).containsExactly("load", "load");
    mark = h.commands.size();
    h.fail("load", 1);

    assertThat(poolMessages(h, mark)).containsExactly("release load#2");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void aLostAttemptGivesItsSlotBackAndAsksForAnotherOne() {
    RunHarness h = RunHarness.of(pooled("load"));
    h.start();
    grant(h, "load", 1);
    h.apply(new RunEvent.TaskAccepted(RunHarness.RUN, RunHarness.DAG, "load", 1, "e1", h.tick()));

    int mark = h.commands.size();
    h.apply(
        new RunEvent.LeaseExpired(RunHarness.RUN, RunHarness.DAG, "load", 1, "e1", 6000, h.tick()));

    assertThat(poolMessages(h, mark)).containsExactly("release load#1", "request load#2");
  }

  @Test
  void aCancelledRunGivesBackItsSlotsAndLeavesTheQueue() {
    RunHarness h = RunHarness.of(pooled("a"), pooled("b"));
    h.start();
    grant(h, "a", 1);

    int mark = h.commands.size();
    h.cancel();

    assertThat(poolMessages(h, mark)).containsExactlyInAnyOrder("release a#1", "release b#1");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Cancelled);
  }

  @Test
  void aGrantForAnAttemptThatNoLongerWaitsIsGivenBackAtOnce() {
    RunHarness h = RunHarness.of(pooled("a"));
    h.start();
    h.cancel();

    int mark = h.commands.size();
    Transition late = grant(h, "a", 1);

    assertThat(late.isRejected()).isTrue();
    assertThat(poolMessages(h, mark)).containsExactly("release a#1");
    assertThat(h.launched()).isEmpty();
  }

  @Test
  void aGrantForAnUnknownRunIsGivenBackAtOnce() {
    RunHarness h = RunHarness.of(pooled("a"));

    Transition t = grant(h, "a", 1);

    assertThat(t.isRejected()).isTrue();
    assertThat(poolMessages(h, 0)).containsExactly("release a#1");
  }

  @Test
  void aSecondGrantOfTheAttemptThatHoldsItsSlotChangesNothing() {
    RunHarness h = RunHarness.of(pooled("a"));
    h.start();
    grant(h, "a", 1);

    int mark = h.commands.size();
    Transition again = grant(h, "a", 1);

    assertThat(again.isRejected()).isTrue();
    assertThat(poolMessages(h, mark)).isEmpty();
    assertThat(h.launched()).containsExactly("a");
  }

  @Test
  void aPausedRunAsksForNoSlotGivesBackAGrantAndAsksAgainOnResume() {
    RunHarness h = RunHarness.of(pooled("a"), pooled("b", "a"));
    h.start();
    h.apply(new RunEvent.PauseRequested(RunHarness.RUN, RunHarness.DAG, "ann", h.tick()));

    int mark = h.commands.size();
    grant(h, "a", 1);

    assertThat(poolMessages(h, mark)).containsExactly("release a#1");
    assertThat(h.launched()).isEmpty();
    assertThat(h.phase("a")).isEqualTo(TaskPhase.Pending);

    mark = h.commands.size();
    h.apply(new RunEvent.ResumeRequested(RunHarness.RUN, RunHarness.DAG, "ann", h.tick()));
    assertThat(poolMessages(h, mark)).containsExactly("request a#1");

    grant(h, "a", 1);
    h.apply(new RunEvent.PauseRequested(RunHarness.RUN, RunHarness.DAG, "ann", h.tick()));
    mark = h.commands.size();
    h.succeed("a");
    assertThat(poolMessages(h, mark))
        .as("no new request while paused")
        .containsExactly("release a#1");

    mark = h.commands.size();
    h.apply(new RunEvent.ResumeRequested(RunHarness.RUN, RunHarness.DAG, "ann", h.tick()));
    assertThat(poolMessages(h, mark)).containsExactly("request b#1");
  }

  @Test
  void eachInstanceOfAPooledForEachTakesASlotOfItsOwn() {
    RunHarness h = RunHarness.of(pooled("copy").withForEach(List.of("x", "y", "z"), 2));
    h.start();

    assertThat(poolMessages(h, 0)).containsExactly("request copy[0]#1", "request copy[1]#1");
    assertThat(h.launched()).isEmpty();

    grant(h, "copy[1]", 1);
    assertThat(h.launched()).containsExactly("copy[1]");

    int mark = h.commands.size();
    h.succeed("copy[1]");
    assertThat(poolMessages(h, mark)).containsExactly("release copy[1]#1", "request copy[2]#1");

    grant(h, "copy[0]", 1);
    grant(h, "copy[2]", 1);
    h.succeed("copy[0]");
    mark = h.commands.size();
    h.succeed("copy[2]");

    assertThat(poolMessages(h, mark)).containsExactly("release copy[2]#1");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void aCancelledForEachGivesBackTheSlotsOfItsInstancesAndTheirPlacesInTheQueue() {
    RunHarness h = RunHarness.of(pooled("copy").withForEach(List.of("x", "y"), null));
    h.start();
    grant(h, "copy[0]", 1);

    int mark = h.commands.size();
    h.cancel();

    assertThat(poolMessages(h, mark))
        .containsExactlyInAnyOrder("release copy[0]#1", "release copy[1]#1");
  }

  @Test
  void aTaskWhoseConditionIsFalseIsSkippedWithoutAskingForASlot() {
    RunHarness h =
        RunHarness.of(RunHarness.task("a"), pooled("b").withWhen("false"), pooled("c", "a"));
    h.start();
    assertThat(poolMessages(h, 0)).isEmpty();
    assertThat(h.phase("b")).isEqualTo(TaskPhase.Skipped);
  }
}

package io.kontroler.core.run;

import static io.kontroler.core.run.RunHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.dag.TriggerRule;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each trigger rule against each mix of upstream outcomes (two upstream tasks, each succeeded,
 * failed or skipped), and the moments at which a rule decides before every upstream task ended.
 */
class TriggerRulesTest {
  enum Outcome {
    SUCCEEDED,
    FAILED,
    SKIPPED
  }

  static Stream<Arguments> everyRuleAgainstEveryMix() {
    List<Arguments> cases = new ArrayList<>();
    for (TriggerRule rule : TriggerRule.values()) {
      for (Outcome first : Outcome.values()) {
        for (Outcome second : Outcome.values()) {
          cases.add(Arguments.of(rule, first, second));
        }
      }
    }
    return cases.stream();
  }

  /** The table of the language reference, written out per rule. */
  private static boolean starts(TriggerRule rule, List<Outcome> up) {
    return switch (rule) {
      case allSucceeded -> up.stream().allMatch(o -> o == Outcome.SUCCEEDED);
      case allDone -> true;
      case allFailed -> up.stream().allMatch(o -> o == Outcome.FAILED);
      case anyFailed -> up.contains(Outcome.FAILED);
      case anySucceeded -> up.contains(Outcome.SUCCEEDED);
      case noneFailed -> !up.contains(Outcome.FAILED);
    };
  }

  /** An upstream task that is skipped at once, by its condition. */
  private static TaskSpec upstream(String name, Outcome outcome) {
    TaskSpec t = task(name);
    return outcome == Outcome.SKIPPED ? t.withWhen("false") : t;
  }

  private static void end(RunHarness h, String name, Outcome outcome) {
    if (outcome == Outcome.SUCCEEDED) {
      h.succeed(name);
    } else if (outcome == Outcome.FAILED) {
      h.fail(name, 1);
    }
  }

  @ParameterizedTest(name = "{0} after {1}, {2}")
  @MethodSource("everyRuleAgainstEveryMix")
  void aRuleStartsOrSkipsItsTaskAsTheReferenceSays(
      TriggerRule rule, Outcome first, Outcome second) {
    RunHarness h =
        RunHarness.of(
                upstream("u1", first),
                upstream("u2", second),
                task("t", "u1", "u2").withTrigger(rule))
            .start();

    end(h, "u1", first);
    end(h, "u2", second);

    boolean expected = starts(rule, List.of(first, second));
    if (expected) {
      assertThat(h.launched()).contains("t");
      h.succeed("t");
      assertThat(h.phase("t")).isEqualTo(TaskPhase.Succeeded);
    } else {
      assertThat(h.launched()).doesNotContain("t");
      assertThat(h.phase("t")).isEqualTo(TaskPhase.Skipped);
      assertThat(message(h, "t")).startsWith("trigger rule " + rule + " not met: ");
    }
    assertThat(h.run.phase().isFinal()).isTrue();
    boolean anyFailed = first == Outcome.FAILED || second == Outcome.FAILED;
    assertThat(h.run.phase()).isEqualTo(anyFailed ? RunPhase.Failed : RunPhase.Succeeded);
  }

  @Test
  void anyFailedStartsAsSoonAsOneUpstreamFailedWhileTheOtherStillRuns() {
    RunHarness h =
        RunHarness.of(
                task("u1"), task("u2"), task("t", "u1", "u2").withTrigger(TriggerRule.anyFailed))
            .start();

    h.fail("u1", 2);

    assertThat(h.active()).containsExactly("t", "u2");
  }

  @Test
  void anySucceededStartsAsSoonAsOneUpstreamSucceeded() {
    RunHarness h =
        RunHarness.of(
                task("u1"), task("u2"), task("t", "u1", "u2").withTrigger(TriggerRule.anySucceeded))
            .start();

    h.succeed("u2");

    assertThat(h.active()).containsExactly("t", "u1");
  }

  @Test
  void allDoneWaitsForEveryUpstreamTask() {
    RunHarness h =
        RunHarness.of(
                task("u1"), task("u2"), task("t", "u1", "u2").withTrigger(TriggerRule.allDone))
            .start();

    h.fail("u1", 1);
    assertThat(h.launched()).doesNotContain("t");

    h.succeed("u2");
    assertThat(h.launched()).contains("t");
  }

  @Test
  void allFailedAndAllSucceededSkipAsSoonAsTheyCanNoLongerHold() {
    RunHarness h =
        RunHarness.of(
                task("u1"),
                task("u2"),
                task("onlyFailures", "u1", "u2").withTrigger(TriggerRule.allFailed),
                task("onlySuccesses", "u1", "u2"))
            .start();

    h.succeed("u1");
    assertThat(h.phase("onlyFailures")).isEqualTo(TaskPhase.Skipped);
    assertThat(h.phase("onlySuccesses")).isEqualTo(TaskPhase.Pending);

    h.fail("u2", 1);
    assertThat(h.phase("onlySuccesses")).isEqualTo(TaskPhase.Skipped);
    assertThat(message(h, "onlySuccesses"))
        .isEqualTo(
            "trigger rule allSucceeded not met: not every upstream task succeeded (upstream: 1"
                + " succeeded, 1 failed, 0 skipped or cancelled)");
  }

  @Test
  void skipsFollowEachDownstreamTasksOwnRule() {
    // a fails: b (allSucceeded) is skipped; c runs after b with noneFailed, so a skipped
    // upstream lets it run; d runs after b with allSucceeded and is skipped in turn.
    RunHarness h =
        RunHarness.of(
                task("a"),
                task("b", "a"),
                task("c", "b").withTrigger(TriggerRule.noneFailed),
                task("d", "b"))
            .start();

    h.fail("a", 1);

    assertThat(h.phase("b")).isEqualTo(TaskPhase.Skipped);
    assertThat(h.phase("d")).isEqualTo(TaskPhase.Skipped);
    assertThat(h.active()).containsExactly("c");
    h.succeed("c");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void aRootTaskStartsAtOnceWhateverItsRule() {
    RunHarness h = RunHarness.of(task("a").withTrigger(TriggerRule.anyFailed)).start();

    assertThat(h.active()).containsExactly("a");
  }

  static String message(RunHarness h, String task) {
    return h.taskChanges().stream()
        .filter(c -> c.task().equals(task))
        .reduce((x, y) -> y)
        .map(TaskPhaseChanged::message)
        .orElse(null);
  }
}

package io.kontroler.core.run;

import static io.kontroler.core.run.RunHarness.DAG;
import static io.kontroler.core.run.RunHarness.RUN;
import static io.kontroler.core.run.RunHarness.task;
import static io.kontroler.core.run.TriggerRulesTest.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Backoff;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.TaskEnv;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.dag.TriggerRule;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code when}, {@code allowFailure}, exit tasks, outputs and templates in the run machine. */
class ConditionsAndExitTasksTest {

  private static RunHarness withParams(List<TaskSpec> tasks, List<TaskSpec> onExit) {
    DagSpec spec =
        DagSpec.of(tasks)
            .withParameters(List.of(new ParameterSpec("env", "dev", null)))
            .withOnExit(onExit);
    return new RunHarness(spec);
  }

  private static void succeedWith(RunHarness h, String task, Map<String, String> outputs) {
    h.apply(new RunEvent.TaskSucceeded(RUN, DAG, task, h.attempt(task), h.tick(), outputs));
  }

  private static LaunchTask launchOf(RunHarness h, String task) {
    return h.launches().stream()
        .filter(l -> l.task().equals(task))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  @Test
  void aTrueConditionLaunchesTheTask() {
    RunHarness h =
        withParams(
                List.of(
                    task("check").withOutputs(List.of("status")),
                    task("publish", "check")
                        .withWhen("tasks.check.outputs.status == 'ok' && params.env == 'prod'")),
                List.of())
            .start(Map.of("env", new ParameterValue.Literal("prod")));

    succeedWith(h, "check", Map.of("status", "ok"));

    assertThat(h.launched()).containsExactly("check", "publish");
  }

  @Test
  void aFalseConditionSkipsTheTaskSayingSoAndItsDownstreamFollowsItsRule() {
    RunHarness h =
        withParams(
                List.of(
                    task("check").withOutputs(List.of("status")),
                    task("publish", "check").withWhen("tasks.check.outputs.status == 'ok'"),
                    task("announce", "publish"),
                    task("tidy", "publish").withTrigger(TriggerRule.noneFailed)),
                List.of())
            .start();

    succeedWith(h, "check", Map.of("status", "bad"));

    assertThat(h.phase("publish")).isEqualTo(TaskPhase.Skipped);
    assertThat(message(h, "publish"))
        .isEqualTo("condition false: tasks.check.outputs.status == 'ok'");
    assertThat(h.phase("announce")).isEqualTo(TaskPhase.Skipped);
    assertThat(message(h, "announce")).startsWith("trigger rule allSucceeded not met: ");
    assertThat(h.active()).containsExactly("tidy");
    h.succeed("tidy");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void aConditionThatFailsToEvaluateFailsTheTaskWithoutRetries() {
    RunHarness h =
        withParams(
                List.of(
                    task("check").withOutputs(List.of("status")),
                    task("publish", "check")
                        .withWhen("tasks.check.outputs.missing == 'ok'")
                        .withBackoff(new Backoff(3, 0, 2.0, 0))),
                List.of())
            .start();

    succeedWith(h, "check", Map.of("status", "ok"));

    assertThat(h.phase("publish")).isEqualTo(TaskPhase.Failed);
    assertThat(h.launched()).containsExactly("check");
    assertThat(message(h, "publish"))
        .startsWith("condition error: ")
        .contains("key 'missing' is not present in map");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void anAllowedFailureIsShownCountsForRulesAndDoesNotFailTheRun() {
    RunHarness h =
        RunHarness.of(
                task("flaky").withAllowFailure(true),
                task("after", "flaky"),
                task("alert", "flaky").withTrigger(TriggerRule.anyFailed))
            .start();

    h.fail("flaky", 3);

    assertThat(h.phase("flaky")).isEqualTo(TaskPhase.Failed);
    assertThat(h.phase("after")).isEqualTo(TaskPhase.Skipped);
    assertThat(h.active()).containsExactly("alert");
    h.succeed("alert");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.run.counts().failed()).isEqualTo(1);
    assertThat(h.run.message()).isEqualTo("1 task(s) failed with allowFailure");
  }

  @Test
  void exitTasksStartOnceEveryMainTaskIsFinalAndSeeTheRunSucceeded() {
    RunHarness h =
        withParams(
                List.of(task("a"), task("b", "a")),
                List.of(
                    TaskSpec.of(
                        "notify", "curl", List.of("echo", "ended {{ run.phase }}"), List.of()),
                    task("last", "notify")))
            .start();

    h.succeed("a");
    assertThat(h.launched()).doesNotContain("notify");
    h.succeed("b");

    assertThat(h.active()).containsExactly("notify");
    assertThat(launchOf(h, "notify").container().command())
        .containsExactly("echo", "ended Succeeded");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    h.succeed("notify");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    h.succeed("last");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void exitTasksSeeAFailedRunAndAFailingExitTaskFailsTheRun() {
    RunHarness h =
        withParams(
                List.of(task("a"), task("b", "a")),
                List.of(
                    TaskSpec.of("notify", "curl", List.of("echo", "{{ run.phase }}"), List.of()),
                    task("onFailure").withWhen("run.phase == 'Failed'")))
            .start();

    h.fail("a", 1);

    assertThat(h.phase("b")).isEqualTo(TaskPhase.Skipped);
    assertThat(h.active()).containsExactly("notify", "onFailure");
    assertThat(launchOf(h, "notify").container().command()).containsExactly("echo", "Failed");
    h.succeed("notify");
    h.succeed("onFailure");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);

    RunHarness ok = withParams(List.of(task("a")), List.of(task("notify"))).start();
    ok.succeed("a");
    ok.fail("notify", 1);
    assertThat(ok.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void aCancelCancelsTheMainTasksThenTheExitTasksRunAndSeeCancelled() {
    RunHarness h =
        withParams(
                List.of(task("a"), task("b", "a")),
                List.of(TaskSpec.of("notify", "curl", List.of("{{ run.phase }}"), List.of())))
            .start();

    h.apply(new RunEvent.CancelRequested(RUN, DAG, "stop", h.tick()));

    assertThat(h.phase("a")).isEqualTo(TaskPhase.Cancelled);
    assertThat(h.phase("b")).isEqualTo(TaskPhase.Cancelled);
    assertThat(h.active()).containsExactly("notify");
    assertThat(launchOf(h, "notify").container().command()).containsExactly("Cancelled");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Running);
    h.succeed("notify");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Cancelled);
  }

  @Test
  void aSecondCancelWhileExitTasksRunCancelsThem() {
    RunHarness h = withParams(List.of(task("a")), List.of(task("notify"))).start();
    h.apply(new RunEvent.CancelRequested(RUN, DAG, "stop", h.tick()));

    h.apply(new RunEvent.CancelRequested(RUN, DAG, "stop now", h.tick()));

    assertThat(h.phase("notify")).isEqualTo(TaskPhase.Cancelled);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Cancelled);
  }

  @Test
  void retryingARunRunsItsExitTasksAgainAfterTheMainTasks() {
    RunHarness h =
        withParams(List.of(task("a")), List.of(task("notify").withWhen("run.phase == 'Failed'")))
            .start();
    h.fail("a", 1);
    h.succeed("notify");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);

    h.apply(new RunEvent.RetryRequested(RUN, DAG, h.tick()));
    h.succeed("a");

    assertThat(h.phase("notify")).isEqualTo(TaskPhase.Succeeded);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void outputsAreKeptReportedAndTemplatedIntoLaterLaunches() {
    TaskSpec use =
        TaskSpec.of(
                "use",
                "alpine",
                List.of("sh", "-c", "echo {{ tasks.list.outputs.count }} {{ params.env }}"),
                List.of("mid"))
            .withEnv(List.of(new TaskEnv("DAY", "{{ run.logicalDate }}")))
            .withOutputs(List.of("done"));
    RunHarness h =
        withParams(
            List.of(task("list").withOutputs(List.of("count")), task("mid", "list"), use),
            List.of());
    Instant slot = Instant.parse("2026-11-22T02:00:00Z");
    h.apply(new RunEvent.RunRequested(RUN, DAG, 1, "nightly", Map.of(), h.tick(), slot));

    succeedWith(h, "list", Map.of("count", "3"));
    h.succeed("mid");

    assertThat(h.tasks.get("list").outputs()).containsExactly(Map.entry("count", "3"));
    TaskPhaseChanged listDone =
        h.taskChanges().stream()
            .filter(c -> c.task().equals("list") && c.to() == TaskPhase.Succeeded)
            .findFirst()
            .orElseThrow();
    assertThat(listDone.outputs()).containsExactly(Map.entry("count", "3"));
    ContainerSpec container = launchOf(h, "use").container();
    assertThat(container.command()).containsExactly("sh", "-c", "echo 3 dev");
    assertThat(container.env()).contains(EnvVar.literal("DAY", "2026-11-22T02:00:00Z"));
    assertThat(container.outputs()).containsExactly("done");
  }

  @Test
  void runAndDagFieldsAreTemplatedAndTheLogicalDateDefaultsToTheRequestTime() {
    RunHarness h =
        RunHarness.of(
                TaskSpec.of(
                    "a",
                    "alpine",
                    List.of(
                        "{{ run.id }}|{{ run.name }}|{{ run.logicalDate }}",
                        "{{ dag.namespace }}/{{ dag.name }}@{{ dag.version }} {{{{ x }}"),
                    List.of()))
            .start();

    Instant requested = h.run.requestedAt();
    assertThat(launchOf(h, "a").container().command())
        .containsExactly(RUN + "|run|" + requested, "default/test@1 {{ x }}");
  }
}

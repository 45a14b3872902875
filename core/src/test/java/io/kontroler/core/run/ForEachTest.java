package io.kontroler.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Backoff;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.TaskEnv;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code forEach}: instances {@code task[i]}, parallelism, the group's outcome and its limits. */
class ForEachTest {

  static Stream<Arguments> sizesAndCaps() {
    List<Arguments> all = new ArrayList<>();
    for (int items : new int[] {0, 1, 1000}) {
      for (Integer cap : new Integer[] {1, 7, null}) {
        all.add(Arguments.of(items, cap));
      }
    }
    return all.stream();
  }

  static TaskSpec process(Object forEach, Integer parallelism, String... after) {
    return RunHarness.task("process", after).withForEach(forEach, parallelism);
  }

  @ParameterizedTest(name = "{0} items, parallelism {1}")
  @MethodSource("sizesAndCaps")
  void fansOutOverEveryItemWithinParallelismAndThenRunsDownstreamOnce(int items, Integer cap) {
    List<Object> list = IntStream.range(0, items).mapToObj(i -> (Object) ("item-" + i)).toList();
    RunHarness h =
        RunHarness.of(
            RunHarness.task("first"),
            process(list, cap, "first").withOutputs(List.of()),
            RunHarness.task("after", "process"));
    h.start();
    int launchesBefore = h.launches().size();
    h.succeed("first");
    int most = 0;
    while (!h.activeInstances().isEmpty()) {
      List<String> active = h.activeInstances();
      most = Math.max(most, active.size());
      String next = active.get(0);
      h.startTask(next);
      Transition t = h.succeed(next);
      // One instance's outcome rewrites it, its task, and at most the instance it makes room for.
      assertThat(t.changedTasks().size()).isLessThanOrEqualTo(3);
    }
    most = Math.max(most, h.activeInstances().size());
    List<String> instances =
        h.launched().stream().filter(n -> n.startsWith("process[")).sorted().toList();
    assertThat(instances)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, items).mapToObj(i -> "process[" + i + "]").toList());
    assertThat(h.launches().size() - launchesBefore).isEqualTo(items + 1);
    assertThat(most).isEqualTo(cap == null ? items : Math.min(cap, items));
    assertThat(h.launched()).containsOnlyOnce("after");
    assertThat(h.launched().get(h.launched().size() - 1)).isEqualTo("after");
    assertThat(groupChanges(h))
        .containsExactlyElementsOf(
            items == 0
                ? List.of("Pending->Succeeded")
                : List.of("Pending->Running", "Running->Succeeded"));
    if (items > 0) {
      assertThat(h.tasks.get("process").fanOut()).isEqualTo(new FanOut(items, items, 0, items, 0));
    }
    h.succeed("after");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(h.run.counts().total()).isEqualTo(3);
  }

  @Test
  void eachInstanceIsFirstPublishedQueuedFromNothingWithItsOwnAttempts() {
    RunHarness h = RunHarness.of(process(List.of("a", "b"), null).withBackoff(Backoff.ofLimit(1)));
    h.start();
    h.fail("process[1]", 3);

    List<TaskPhaseChanged> inst =
        h.taskChanges().stream().filter(c -> c.task().equals("process[1]")).toList();
    assertThat(inst.get(0).from()).isNull();
    assertThat(inst.get(0).to()).isEqualTo(TaskPhase.Queued);
    assertThat(inst.get(0).attempt()).isEqualTo(1);
    assertThat(h.attempt("process[1]")).isEqualTo(2);
    assertThat(h.attempt("process[0]")).isEqualTo(1);
    assertThat(h.phase("process[1]")).isEqualTo(TaskPhase.Queued);
  }

  @Test
  void anInstanceThatFailsAfterItsRetriesFailsTheTaskOnceTheOthersFinishAndSkipsDownstream() {
    RunHarness h =
        RunHarness.of(
            process(List.of("a", "b", "c"), 2).withBackoff(Backoff.ofLimit(1)),
            RunHarness.task("after", "process"));
    h.start();
    assertThat(h.activeInstances()).containsExactly("process[0]", "process[1]");
    h.fail("process[1]", 2);
    h.fail("process[1]", 2);
    assertThat(h.phase("process[1]")).isEqualTo(TaskPhase.Failed);
    assertThat(h.phase("process")).isEqualTo(TaskPhase.Running);
    assertThat(h.activeInstances()).containsExactly("process[0]");

    h.startTask("process[0]");
    h.succeed("process[0]");

    assertThat(h.phase("process")).isEqualTo(TaskPhase.Failed);
    assertThat(h.tasks.get("process").message()).isEqualTo("1 of 3 instances failed, 1 succeeded");
    assertThat(h.phase("after")).isEqualTo(TaskPhase.Skipped);
    assertThat(h.launched()).doesNotContain("process[2]", "after");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void cancellingStopsTheRunningInstancesAndCancelsTheTask() {
    RunHarness h =
        RunHarness.of(
            process(List.of(1, 2, 3, 4, 5), 3).withBackoff(new Backoff(2, 30, 1.0, 0)),
            RunHarness.task("after", "process"));
    h.start();
    h.startTask("process[0]");
    h.fail("process[2]", 1); // waits 30 s before its retry: Retrying, no attempt out

    Transition t = h.cancel();

    List<String> killed =
        t.commands().stream()
            .filter(c -> c instanceof KillTask)
            .map(c -> ((KillTask) c).task())
            .toList();
    assertThat(killed).containsExactlyInAnyOrder("process[0]", "process[1]");
    assertThat(h.phase("process[0]")).isEqualTo(TaskPhase.Cancelled);
    assertThat(h.phase("process[1]")).isEqualTo(TaskPhase.Cancelled);
    assertThat(h.phase("process[2]")).isEqualTo(TaskPhase.Cancelled);
    assertThat(h.phase("process")).isEqualTo(TaskPhase.Cancelled);
    assertThat(h.tasks.get("process").fanOut()).isEqualTo(new FanOut(5, 3, 0, 0, 0));
    assertThat(h.run.phase()).isEqualTo(RunPhase.Cancelled);
    assertThat(h.launched()).doesNotContain("process[3]", "after");

    h.apply(new RunEvent.TaskSucceeded(RunHarness.RUN, RunHarness.DAG, "process[0]", 1, h.tick()));
    assertThat(h.lastRejection()).isNotNull();
  }

  @Test
  void itemsComeFromAnUpstreamOutputAndFillTheCommandArgsScriptAndEnv() {
    TaskSpec list = RunHarness.task("list").withOutputs(List.of("items"));
    TaskSpec process =
        new TaskSpec(
                "process",
                "alpine:3",
                List.of("echo", "{{ item }}"),
                List.of("{{ item.k }}", "{{ tasks.list.outputs.items }}"),
                null,
                List.of("list"),
                null,
                null,
                null,
                null,
                null)
            .withEnv(List.of(new TaskEnv("ITEM", "item={{ item }}")))
            .withForEach("{{ tasks.list.outputs.items }}", null);
    RunHarness h = RunHarness.of(list, process);
    h.start();
    h.succeed("list", Map.of("items", "[\"a\", {\"k\": \"v\"}, 3]"));

    List<LaunchTask> launches =
        h.launches().stream().filter(l -> l.task().startsWith("process")).toList();
    assertThat(launches)
        .extracting(LaunchTask::task)
        .containsExactly("process[0]", "process[1]", "process[2]");
    assertThat(launches.get(0).container().command()).containsExactly("echo", "a");
    assertThat(launches.get(1).container().command()).containsExactly("echo", "{\"k\":\"v\"}");
    assertThat(launches.get(1).container().args().get(0)).isEqualTo("v");
    assertThat(launches.get(2).container().command()).containsExactly("echo", "3");
    assertThat(launches.get(0).container().args().get(0)).isEmpty();
    assertThat(envOf(launches.get(2), "ITEM")).isEqualTo("item=3");
    assertThat(envOf(launches.get(2), "KONTROLER_TASK")).isEqualTo("process[2]");
  }

  @Test
  void aRetriedInstanceGetsItsOwnItemAgain() {
    RunHarness h =
        RunHarness.of(
            RunHarness.task("p")
                .withForEach(List.of("x", "y"), 1)
                .withBackoff(Backoff.ofLimit(2))
                .withEnv(List.of(new TaskEnv("ITEM", "{{ item }}"))));
    h.start();
    h.succeed("p[0]");
    h.fail("p[1]", 1);
    List<LaunchTask> p1 = h.launches().stream().filter(l -> l.task().equals("p[1]")).toList();
    assertThat(p1).extracting(LaunchTask::attempt).containsExactly(1, 2);
    assertThat(p1).allSatisfy(l -> assertThat(envOf(l, "ITEM")).isEqualTo("y"));
  }

  @Test
  void itemsComeFromAParameter() {
    DagSpec spec =
        DagSpec.of(List.of(process("{{ params.days }}", 2)))
            .withParameters(List.of(new ParameterSpec("days", "[\"mon\",\"tue\",\"wed\"]", null)));
    RunHarness h = new RunHarness(spec);
    h.start(Map.of("days", new ParameterValue.Literal("[\"sat\",\"sun\"]")));
    assertThat(h.launched()).containsExactly("process[0]", "process[1]");
    assertThat(h.tasks.get("process").fanOut().total()).isEqualTo(2);
  }

  @Test
  void moreItemsThanTheLimitFailTheTaskSayingSo() {
    DagSpec spec =
        DagSpec.of(List.of(process(List.of(1, 2, 3), null), RunHarness.task("after", "process")));
    RunHarness h = new RunHarness(spec, new RunLimits(2, 10));
    h.start();
    assertThat(h.phase("process")).isEqualTo(TaskPhase.Failed);
    assertThat(h.tasks.get("process").message())
        .isEqualTo("forEach yields 3 items, more than scheduler.max.foreach.items (2)");
    assertThat(h.launched()).isEmpty();
    assertThat(h.phase("after")).isEqualTo(TaskPhase.Skipped);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void aValueThatIsNotAJsonListFailsTheTaskSayingWhatItGot() {
    for (String[] c :
        new String[][] {
          {"not json", "forEach expected a JSON list, but got text that is not JSON: 'not json'"},
          {"{\"a\": 1}", "forEach expected a JSON list, but got 'an object'"},
          {"7", "forEach expected a JSON list, but got '7'"}
        }) {
      RunHarness h =
          RunHarness.of(
              RunHarness.task("list").withOutputs(List.of("items")),
              process("{{ tasks.list.outputs.items }}", null, "list"));
      h.start();
      h.succeed("list", Map.of("items", c[0]));
      assertThat(h.phase("process")).as(c[0]).isEqualTo(TaskPhase.Failed);
      assertThat(h.tasks.get("process").message()).as(c[0]).isEqualTo(c[1]);
      assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
    }
  }

  @Test
  void aRetriedRunFansOutAgainWithAttemptNumbersThatKeepGrowing() {
    RunHarness h = RunHarness.of(process(List.of("a", "b"), null));
    h.start();
    h.succeed("process[0]");
    h.fail("process[1]", 1);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);

    h.apply(new RunEvent.RetryRequested(RunHarness.RUN, RunHarness.DAG, h.tick()));

    assertThat(h.phase("process")).isEqualTo(TaskPhase.Running);
    assertThat(h.attempt("process[0]")).isEqualTo(2);
    assertThat(h.attempt("process[1]")).isEqualTo(2);
    h.succeed("process[0]");
    h.succeed("process[1]");
    assertThat(h.run.phase()).isEqualTo(RunPhase.Succeeded);
  }

  private static String envOf(LaunchTask launch, String name) {
    return launch.container().env().stream()
        .filter(e -> e.name().equals(name))
        .map(EnvVar::value)
        .findFirst()
        .orElseThrow();
  }

  private static List<String> groupChanges(RunHarness h) {
    return h.taskChanges().stream()
        .filter(c -> c.task().equals("process"))
        .map(c -> c.from() + "->" + c.to())
        .toList();
  }
}

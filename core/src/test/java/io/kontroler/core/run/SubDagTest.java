package io.kontroler.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Backoff;
import io.kontroler.core.dag.DagRef;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.RunCommand.ChildRunLinked;
import io.kontroler.core.run.RunCommand.SendInbound;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code dagRef}: a task that runs another DAG as a child run and ends as the child ends. */
class SubDagTest {
  private static final String CHILD_DAG = "default/report";

  private static TaskSpec report(String... after) {
    return new TaskSpec(
            "report", null, null, null, null, List.of(after), null, null, null, null, null)
        .withDagRef(
            new DagRef("report", List.of(new DagRef.Parameter("day", "{{ run.logicalDate }}"))));
  }

  private static RunHarness parent() {
    RunHarness h =
        RunHarness.of(RunHarness.task("load"), report("load"), RunHarness.task("after", "report"));
    h.start();
    h.succeed("load");
    return h;
  }

  private static <T> List<T> sent(RunHarness h, Class<T> type) {
    return h.commands.stream()
        .filter(c -> c instanceof SendInbound s && type.isInstance(s.request()))
        .map(c -> type.cast(((SendInbound) c).request()))
        .toList();
  }

  private static Transition childEnded(RunHarness h, int attempt, RunPhase phase) {
    String child =
        RunIds.forRequest(CHILD_DAG, ParentRun.childKey(RunHarness.RUN, "report", attempt));
    return h.apply(
        new RunEvent.ChildRunEnded(
            RunHarness.RUN, RunHarness.DAG, "report", attempt, child, phase, "why", h.tick()));
  }

  @Test
  void aDagRefTaskRequestsItsChildOncePerAttemptAndLinksIt() {
    RunHarness h = parent();

    List<Inbound.RunRequested> requests = sent(h, Inbound.RunRequested.class);
    assertThat(requests).hasSize(1);
    Inbound.RunRequested r = requests.get(0);
    String key = ParentRun.childKey(RunHarness.RUN, "report", 1);
    assertThat(r.dag()).isEqualTo(CHILD_DAG);
    assertThat(r.idempotencyKey()).isEqualTo(key);
    assertThat(r.trigger()).isEqualTo(Inbound.RunRequested.SUB_DAG);
    assertThat(r.parent()).isEqualTo(new ParentRun(RunHarness.RUN, RunHarness.DAG, "report", 1, 1));
    assertThat(r.parameters().get("day"))
        .isEqualTo(new ParameterValue.Literal(h.run.requestedAt().toString()));
    List<ChildRunLinked> links =
        h.commands.stream()
            .filter(ChildRunLinked.class::isInstance)
            .map(ChildRunLinked.class::cast)
            .toList();
    assertThat(links)
        .containsExactly(
            new ChildRunLinked(
                RunHarness.RUN,
                RunHarness.DAG,
                "report",
                1,
                RunIds.forRequest(CHILD_DAG, key),
                CHILD_DAG,
                links.get(0).at()));
    assertThat(h.launched()).doesNotContain("report");
    assertThat(h.phase("report")).isEqualTo(TaskPhase.Queued);
  }

  @Test
  void theTaskSucceedsWhenItsChildDoes() {
    RunHarness h = parent();
    childEnded(h, 1, RunPhase.Succeeded);
    assertThat(h.phase("report")).isEqualTo(TaskPhase.Succeeded);
    assertThat(h.launched()).contains("after");
  }

  @Test
  void theTaskFailsWhenItsChildFailsAfterItsRetriesEachWithANewChild() {
    RunHarness h =
        RunHarness.of(report().withBackoff(Backoff.ofLimit(1)), RunHarness.task("after", "report"));
    h.start();
    childEnded(h, 1, RunPhase.Failed);
    assertThat(h.phase("report")).isEqualTo(TaskPhase.Queued);
    assertThat(sent(h, Inbound.RunRequested.class))
        .extracting(Inbound.RunRequested::idempotencyKey)
        .containsExactly(
            ParentRun.childKey(RunHarness.RUN, "report", 1),
            ParentRun.childKey(RunHarness.RUN, "report", 2));
    childEnded(h, 1, RunPhase.Failed);
    assertThat(h.lastRejection().reason()).isEqualTo(Rejection.Reason.STALE_ATTEMPT);

    childEnded(h, 2, RunPhase.Failed);

    assertThat(h.phase("report")).isEqualTo(TaskPhase.Failed);
    assertThat(h.tasks.get("report").message()).endsWith("Failed: why");
    assertThat(h.phase("after")).isEqualTo(TaskPhase.Skipped);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void cancellingTheParentCancelsTheChild() {
    RunHarness h = parent();
    h.cancel();
    List<Inbound.CancelRun> cancels = sent(h, Inbound.CancelRun.class);
    assertThat(cancels)
        .containsExactly(
            new Inbound.CancelRun(
                CHILD_DAG,
                RunIds.forRequest(CHILD_DAG, ParentRun.childKey(RunHarness.RUN, "report", 1)),
                "parent: stop"));
    assertThat(h.phase("report")).isEqualTo(TaskPhase.Cancelled);
    assertThat(h.run.phase()).isEqualTo(RunPhase.Cancelled);
  }

  @Test
  void aChildRunTellsItsParentHowItEnded() {
    ParentRun parent = new ParentRun("p-1", "default/etl", "report", 3, 1);
    RunHarness child = RunHarness.of(RunHarness.task("a"));
    child.apply(
        new RunEvent.RunRequested(
            RunHarness.RUN, RunHarness.DAG, 1, null, Map.of(), child.tick(), null, parent));
    assertThat(child.run.parent()).isEqualTo(parent);
    child.fail("a", 2);

    assertThat(sent(child, Inbound.ChildRunEnded.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.dag()).isEqualTo("default/etl");
              assertThat(e.runId()).isEqualTo("p-1");
              assertThat(e.task()).isEqualTo("report");
              assertThat(e.attempt()).isEqualTo(3);
              assertThat(e.childRunId()).isEqualTo(RunHarness.RUN);
              assertThat(e.phase()).isEqualTo(RunPhase.Failed);
            });
  }

  @Test
  void aChildDeeperThanTheLimitFailsTheTask() {
    RunHarness h =
        new RunHarness(io.kontroler.core.dag.DagSpec.of(List.of(report())), new RunLimits(10, 2));
    h.apply(
        new RunEvent.RunRequested(
            RunHarness.RUN,
            RunHarness.DAG,
            1,
            null,
            Map.of(),
            h.tick(),
            null,
            new ParentRun("p", "default/x", "t", 1, 2)));
    assertThat(h.phase("report")).isEqualTo(TaskPhase.Failed);
    assertThat(h.tasks.get("report").message())
        .isEqualTo(
            "a child run at sub-DAG depth 3 would exceed scheduler.max.subdag.depth (2): do the"
                + " DAGs run each other?");
    assertThat(sent(h, Inbound.RunRequested.class)).isEmpty();
  }
}

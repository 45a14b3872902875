package io.kontroler.ingest.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a controller reads of run-events when it starts leading. */
@EnableKubernetesMockClient(crud = true)
class ControllerStartTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final String DAG = "default/dag-sample3";

  KubernetesClient client;

  @Test
  void aNewLeaderKeepsTheRunsOfItsResourcesFromRunEventsAndDropsEveryOtherRun() {
    MockCluster.installCrds(client);
    MockCluster node = MockCluster.parts(client);
    node.apply("dag-scheduled.yaml");
    var dagRun = node.apply("dagrun.yaml");
    String runId = RunIds.forRequest(DAG, dagRun.getMetadata().getUid());
    // run-events as the topic holds them: the DagRun's run ended while no controller ran
    RunEventFeed history =
        (handler, timeout) -> {
          for (int i = 0; i < 100; i++) {
            handler.accept(changed("other-" + i, RunPhase.Pending, RunPhase.Running, 0, T0));
          }
          handler.accept(changed(runId, RunPhase.Pending, RunPhase.Running, 0, T0));
          handler.accept(
              changed(runId, RunPhase.Running, RunPhase.Succeeded, 3, T0.plusSeconds(5)));
          return Optional.empty();
        };

    try (KubernetesController controller =
        new KubernetesController(
            client, List.of(), node.outbox, node.catalog, Clock.systemUTC(), history)) {
      controller.start(Duration.ofSeconds(10));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  "Succeeded"
                      .equals(node.status(ResourceKind.DAG_RUN, "dagrun-sample").get("phase")));
      assertThat(node.status(ResourceKind.DAG_RUN, "dagrun-sample"))
          .containsEntry("runId", runId)
          .containsEntry("progress", "3/3")
          .containsEntry("endTime", T0.plusSeconds(5).toString());
      assertThat(controller.runs().size()).isEqualTo(1);
      assertThat(controller.problems()).isEmpty();
    }
  }

  private static RunPhaseChanged changed(
      String runId, RunPhase from, RunPhase to, int succeeded, Instant at) {
    return new RunPhaseChanged(
        runId,
        DAG,
        1,
        "dagrun-sample",
        from,
        to,
        new PhaseCounts(3 - succeeded, 0, 0, 0, succeeded, 0, 0, 0),
        null,
        at);
  }
}

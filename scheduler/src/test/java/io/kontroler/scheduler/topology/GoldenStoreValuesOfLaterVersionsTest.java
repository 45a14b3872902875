package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TriggerRule;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.RunState;
import io.kontroler.core.run.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Store values as later versions wrote them, kept under {@code golden/stores} as {@code
 * <Type>@<version>.json} next to the first ones: each reads with the fields of its version and
 * writes back the same, so that a scheduler keeps restoring what a newer one wrote.
 */
class GoldenStoreValuesOfLaterVersionsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/stores");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static <T> T roundTrip(Class<T> type, String file) throws Exception {
    JsonSerde<T> serde = (JsonSerde<T>) serdeOf(type);
    byte[] bytes = Files.readAllBytes(GOLDEN.resolve(file));
    T value = serde.deserializer().deserialize("changelog", bytes);
    byte[] again = serde.serializer().serialize("changelog", value);
    // Written back with the same fields, under the version this scheduler writes.
    com.fasterxml.jackson.databind.node.ObjectNode written =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(bytes);
    com.fasterxml.jackson.databind.node.ObjectNode rewritten =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(again);
    assertThat(rewritten.remove("schemaVersion").asText()).isEqualTo(serde.version().toString());
    written.remove("schemaVersion");
    assertThat(rewritten).as(file).isEqualTo(written);
    return value;
  }

  @SuppressWarnings("unchecked")
  private static <T> JsonSerde<T> serdeOf(Class<T> type) {
    return (JsonSerde<T>)
        RunStores.jsonValues().values().stream()
            .filter(s -> s.type().equals(type))
            .findFirst()
            .orElseThrow();
  }

  @Test
  void theWorkflowLanguageFieldsOfATaskStateReadAndWriteBack() throws Exception {
    TaskState t = roundTrip(TaskState.class, "TaskState@1.1.json");

    assertThat(t.upstreamFailed()).isEqualTo(1);
    assertThat(t.upstreamSkipped()).isEqualTo(1);
    assertThat(t.outputs()).isEqualTo(Map.of("summary", "done"));
  }

  @Test
  void aTaskWaitingForASlotOfItsPoolReadsAndWritesBack() throws Exception {
    TaskState t = roundTrip(TaskState.class, "TaskState@1.3.json");

    assertThat(t.waitingForPool()).isTrue();
    assertThat(t.attempt()).isEqualTo(2);
  }

  @Test
  void theWorkflowLanguageFieldsOfARunStateReadAndWriteBack() throws Exception {
    RunState r = roundTrip(RunState.class, "RunState@1.1.json");

    assertThat(r.logicalDate()).hasToString("2026-11-22T02:00:00Z");
    assertThat(r.exitUnfinished()).isEqualTo(1);
    assertThat(r.allowedFailures()).isEqualTo(1);
    assertThat(r.mainOutcome()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void theWorkflowLanguageFieldsOfADagVersionReadAndWriteBack() throws Exception {
    DagSpec spec = roundTrip(DagSpec.class, "DagSpec@1.1.json");

    assertThat(spec.onExit())
        .singleElement()
        .satisfies(t -> assertThat(t.name()).isEqualTo("notify"));
    assertThat(spec.task().get(0).outputs()).containsExactly("items", "count");
    assertThat(spec.task().get(2).trigger()).isEqualTo(TriggerRule.anyFailed);
    assertThat(spec.task().get(2).allowFailure()).isTrue();
  }

  @Test
  void theFanOutOfATaskStateReadsAndWritesBack() throws Exception {
    TaskState t = roundTrip(TaskState.class, "TaskState@1.2.json");

    assertThat(t.fanOut()).isEqualTo(new io.kontroler.core.run.FanOut(10000, 1007, 7, 999, 1));
  }

  @Test
  void theParentOfARunStateReadsAndWritesBack() throws Exception {
    RunState r = roundTrip(RunState.class, "RunState@1.2.json");

    assertThat(r.parent())
        .isEqualTo(
            new io.kontroler.core.run.ParentRun(
                "0b9f3c1e-8d0a-3c55-9d7e-2f4b8a1c6e01", "default/nightly", "nightly-report", 2, 1));
  }

  @Test
  void forEachParallelismAndDagRefOfADagVersionReadAndWriteBack() throws Exception {
    DagSpec spec = roundTrip(DagSpec.class, "DagSpec@1.2.json");

    assertThat(spec.task().get(3).forEachTemplate()).isEqualTo("{{ tasks.list.outputs.items }}");
    assertThat(spec.task().get(3).parallelism()).isEqualTo(4);
    assertThat(spec.task().get(4).dagRef().name()).isEqualTo("report");
    assertThat(spec.task().get(5).forEachItems()).containsExactly("a", 1L, Map.of("id", "x"));
  }

  @Test
  void theMaxActiveRunsOfADagVersionReadsAndWritesBack() throws Exception {
    DagSpec spec = roundTrip(DagSpec.class, "DagSpec@1.3.json");

    assertThat(spec.maxActiveRuns()).isEqualTo(2);
  }
}

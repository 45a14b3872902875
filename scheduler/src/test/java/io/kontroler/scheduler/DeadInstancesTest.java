package io.kontroler.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeadInstancesTest {
  private static final String LIVE = "54af4687-bab5-4c49-a6fd-40e643da96be";
  private static final String DEAD = "53d1221c-1d7e-4a09-ac1f-b75aa34aed42";
  private static final String SELF = "bbe608df-c7d7-43fe-8319-e71585e0a523";
  private final DeadInstances instances = new DeadInstances("kontroler-scheduler");

  @Test
  void theTransactionsOfAProcessNoMemberHasAreTheDeadOnes() {
    List<String> open =
        List.of(
            "kontroler-scheduler-" + LIVE + "-1",
            "kontroler-scheduler-" + DEAD + "-1",
            "kontroler-scheduler-" + DEAD + "-2",
            "kontroler-scheduler-" + SELF + "-1");

    List<String> dead =
        instances.deadTransactions(
            open,
            List.of("kontroler-scheduler-" + LIVE + "-StreamThread-1-consumer"),
            List.of("kontroler-scheduler-" + SELF + "-StreamThread-1-consumer"));

    assertThat(dead)
        .containsExactly(
            "kontroler-scheduler-" + DEAD + "-1", "kontroler-scheduler-" + DEAD + "-2");
  }

  @Test
  void anotherApplicationsTransactionsAreNeverChosen() {
    List<String> open =
        List.of(
            "other-app-" + DEAD + "-1",
            "kontroler-scheduler-x-" + DEAD + "-1",
            "kontroler-scheduler-not-a-process-1");

    assertThat(instances.deadTransactions(open, List.of(), List.of())).isEmpty();
  }

  @Test
  void noneIsChosenWhenAMemberNamesNoProcess() {
    List<String> open = List.of("kontroler-scheduler-" + DEAD + "-1");

    assertThat(
            instances.deadTransactions(
                open,
                List.of(
                    "kontroler-scheduler-" + LIVE + "-StreamThread-1-consumer", "my-own-client-id"),
                List.of()))
        .isEmpty();
  }

  @Test
  void theListingFilterMatchesExactlyThisApplicationsProducers() {
    assertThat("kontroler-scheduler-" + DEAD + "-1").matches(instances.transactionalIdPattern());
    assertThat("kontroler-scheduler-" + DEAD + "-StreamThread-1-producer")
        .doesNotMatch(instances.transactionalIdPattern());
    assertThat("kontroler-schedulerX" + DEAD + "-1")
        .doesNotMatch(instances.transactionalIdPattern());
  }
}

package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.scheduler.topology.AdmissionDecision.Verdict;
import org.junit.jupiter.api.Test;

class AdmissionDecisionTest {
  private static final String DAG = "team-a/etl";

  @Test
  void withoutALimitEveryRunStarts() {
    assertThat(AdmissionDecision.of(DAG, null, 500, 0, 10).verdict()).isEqualTo(Verdict.START);
    assertThat(AdmissionDecision.startable(null, 500, 7)).isEqualTo(7);
  }

  @Test
  void aRunStartsWhileThereIsRoomAndNobodyWaits() {
    assertThat(AdmissionDecision.of(DAG, 2, 1, 0, 10))
        .isEqualTo(new AdmissionDecision(Verdict.START, null));
  }

  @Test
  void aRunWaitsWhenTheLimitIsReachedSayingHowManyAreActive() {
    assertThat(AdmissionDecision.of(DAG, 2, 2, 3, 10))
        .isEqualTo(
            new AdmissionDecision(Verdict.WAIT, "waiting: 2 of 2 active runs (maxActiveRuns)"));
  }

  @Test
  void aRunWaitsBehindOthersThatWaitEvenWhenThereIsRoom() {
    // The limit was raised while runs waited: first come, first served.
    assertThat(AdmissionDecision.of(DAG, 5, 2, 1, 10).verdict()).isEqualTo(Verdict.WAIT);
  }

  @Test
  void aRunIsRejectedWhenTheQueueIsFullNamingTheSetting() {
    AdmissionDecision d = AdmissionDecision.of(DAG, 2, 2, 10, 10);

    assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
    assertThat(d.message())
        .isEqualTo(
            "Expected fewer than 10 runs of DAG 'team-a/etl' waiting"
                + " (scheduler.max.waiting.runs), but 10 wait behind 2 active runs"
                + " (maxActiveRuns 2)");
  }

  @Test
  void asManyWaitingRunsStartAsThereArePlacesLeft() {
    assertThat(AdmissionDecision.startable(3, 1, 5)).isEqualTo(2);
    assertThat(AdmissionDecision.startable(3, 1, 1)).isEqualTo(1);
    assertThat(AdmissionDecision.startable(3, 3, 5)).isZero();
    assertThat(AdmissionDecision.startable(3, 4, 5)).isZero();
  }
}

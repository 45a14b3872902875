package io.kontroler.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class JobLabelsTest {

  @Test
  void selectsARunsJobsByManagerAndRun() {
    assertThat(JobLabels.selector("run-1"))
        .containsOnly(
            entry("app.kubernetes.io/managed-by", "kontroler"),
            entry("kontroler.greedykomodo/run", "run-1"));
  }

  @Test
  void kontrolersAndKubernetesLabelsAreReservedAndOthersAreTheWorkflows() {
    assertThat(JobLabels.reserved(JobLabels.MANAGED_BY)).isTrue();
    assertThat(JobLabels.reserved(JobLabels.DAG)).isTrue();
    assertThat(JobLabels.reserved(JobLabels.REPORTED)).isTrue();
    assertThat(JobLabels.reserved("batch.kubernetes.io/job-name")).isTrue();
    assertThat(JobLabels.reserved("controller-uid")).isTrue();
    assertThat(JobLabels.reserved("job-name")).isTrue();
    assertThat(JobLabels.reserved("team")).isFalse();
    assertThat(JobLabels.reserved("app.kubernetes.io/name")).isFalse();
  }
}

package io.kontroler.executor.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.executor.backend.AttemptId;
import org.junit.jupiter.api.Test;

class JobNamesTest {
  private static final String DNS_1123 = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String LABEL_VALUE = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

  @Test
  void jobNamesAreDeterministicDns1123AndShort() {
    AttemptId id =
        new AttemptId(
            "9f1c2d3e-aaaa-bbbb-cccc-000000000000",
            "team/etl",
            "Transform_Customers.And.A-very-long-task-name-that-goes-on-and-on",
            3);
    String name = JobNames.job(id);
    assertThat(name).matches(DNS_1123).hasSizeLessThanOrEqualTo(JobNames.MAX_JOB_NAME);
    assertThat(name).startsWith("transform-customers-and-a").contains("-9f1c2d3e-3-");
    assertThat(JobNames.job(id)).isEqualTo(name);
  }

  @Test
  void differentAttemptsRunsOrTasksGetDifferentNames() {
    AttemptId id = new AttemptId("run", "ns/dag", "task", 1);
    assertThat(JobNames.job(id))
        .isNotEqualTo(JobNames.job(new AttemptId("run", "ns/dag", "task", 2)))
        .isNotEqualTo(JobNames.job(new AttemptId("run2", "ns/dag", "task", 1)))
        .isNotEqualTo(JobNames.job(new AttemptId("run", "ns/dag", "Task", 1)))
        .isNotEqualTo(JobNames.job(new AttemptId("run", "ns/other", "task", 1)));
  }

  @Test
  void labelValuesAreValidWhateverTheInput() {
    assertThat(JobNames.labelValue("team-a/etl")).isEqualTo("team-a.etl");
    assertThat(JobNames.labelValue("_weird name!")).matches(LABEL_VALUE);
    String longValue = "x".repeat(100);
    assertThat(JobNames.labelValue(longValue)).matches(LABEL_VALUE).hasSizeLessThanOrEqualTo(63);
    assertThat(JobNames.labelValue(longValue)).isNotEqualTo(JobNames.labelValue(longValue + "y"));
  }

  @Test
  void workspaceClaimsAreNamedByRun() {
    assertThat(JobNames.workspaceClaim("run-1"))
        .startsWith("kontroler-ws-")
        .matches(DNS_1123)
        .isEqualTo(JobNames.workspaceClaim("run-1"))
        .isNotEqualTo(JobNames.workspaceClaim("run-2"));
  }
}

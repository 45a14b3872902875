package io.kontroler.executor.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.InstanceName;
import java.util.HashSet;
import java.util.Set;
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

  @Test
  void instancesGetValidUniqueJobNamesAndLabelValuesForEveryIndex() {
    Set<String> names = new HashSet<>();
    Set<String> labels = new HashSet<>();
    for (int i = 0; i <= 10_000; i++) {
      AttemptId id = new AttemptId("9f1c2d3e-aaaa", "team/etl", "process[" + i + "]", 1);
      String name = JobNames.job(id);
      assertThat(name)
          .matches(DNS_1123)
          .hasSizeLessThanOrEqualTo(JobNames.MAX_JOB_NAME)
          .startsWith("process-" + i + "-9f1c2d3e-1-");
      assertThat(JobNames.job(id)).isEqualTo(name);
      names.add(name);
      String label = JobNames.labelValue(id.task());
      assertThat(label).matches(LABEL_VALUE).isEqualTo("process." + i);
      labels.add(label);
    }
    assertThat(names).hasSize(10_001);
    assertThat(labels).hasSize(10_001).doesNotContain("process");
  }

  @Test
  void aLongInstanceNameIsCutInItsTaskPartAndKeepsItsIndex() {
    String task = "a-task-name-that-is-as-long-as-a-dns-label-may-be-and-then-a-bit";
    Set<String> names = new HashSet<>();
    for (int i : new int[] {0, 7, 12, 999, 10_000}) {
      AttemptId id = new AttemptId("run-1", "team/etl", task + "[" + i + "]", 2);
      String name = JobNames.job(id);
      assertThat(name)
          .matches(DNS_1123)
          .hasSizeLessThanOrEqualTo(JobNames.MAX_JOB_NAME)
          .startsWith("a-task-name")
          .contains("-" + i + "-run-1-2-")
          .isEqualTo(JobNames.job(id));
      names.add(name);
      assertThat(JobNames.labelValue(id.task()))
          .matches(LABEL_VALUE)
          .hasSizeLessThanOrEqualTo(63)
          .isEqualTo(JobNames.labelValue(id.task()));
    }
    assertThat(names).hasSize(5);
    // The instance is not confused with a task of its own whose name ends in its index.
    assertThat(JobNames.job(new AttemptId("run-1", "team/etl", "process[7]", 1)))
        .isNotEqualTo(JobNames.job(new AttemptId("run-1", "team/etl", "process-7", 1)));
  }

  @Test
  void onlyANameEndingInABracketedIndexIsAnInstance() {
    assertThat(InstanceName.parse("process[12]")).isEqualTo(new InstanceName("process", 12));
    assertThat(InstanceName.parse("process")).isNull();
    assertThat(InstanceName.parse("process[]")).isNull();
    assertThat(InstanceName.parse("process[-1]")).isNull();
    assertThat(InstanceName.parse("[3]")).isNull();
    assertThat(InstanceName.parse("process[1x]")).isNull();
  }
}

package io.kontroler.ingest.cron;

import io.kontroler.core.dag.ConcurrencyPolicy;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Catalog.DagPublished;
import java.time.Instant;
import java.util.List;

/** DAG versions with a schedule, for cron tests. */
public final class Dags {
  private Dags() {}

  public static DagPublished scheduled(
      String dag,
      int version,
      String schedule,
      String timezone,
      ConcurrencyPolicy policy,
      Long deadline,
      boolean suspended) {
    DagSpec spec =
        new DagSpec(
            schedule,
            List.of(TaskSpec.of("a", "alpine", List.of("true"), List.of())),
            List.of(),
            null,
            null,
            suspended,
            timezone,
            policy,
            deadline);
    return new DagPublished(dag, version, spec, Instant.EPOCH);
  }

  public static DagPublished scheduled(String dag, String schedule) {
    return scheduled(dag, 1, schedule, null, null, null, false);
  }
}

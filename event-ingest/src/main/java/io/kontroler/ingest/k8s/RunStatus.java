package io.kontroler.ingest.k8s;

import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.TaskPhase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The status of a DagRun: its run's phase, task counts by phase, start and end, and message. */
final class RunStatus {
  private RunStatus() {}

  static Map<String, Object> of(RunSummary run, Long generation) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", run.phase().name());
    status.put("runId", run.runId());
    status.put("dag", run.dag());
    status.put("counts", counts(run.counts()));
    status.put("progress", run.progress());
    if (run.startedAt() != null) {
      status.put("startTime", run.startedAt().toString());
    }
    if (run.finishedAt() != null) {
      status.put("endTime", run.finishedAt().toString());
    }
    if (run.message() != null) {
      status.put("message", run.message());
    }
    if (!run.problems().isEmpty()) {
      status.put("problems", run.problems());
    }
    if (generation != null) {
      status.put("observedGeneration", generation);
    }
    return status;
  }

  static Map<String, Object> refused(List<String> problems, Long generation) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", "Failed");
    status.put("message", "rejected: " + String.join("; ", problems));
    status.put("problems", problems);
    if (generation != null) {
      status.put("observedGeneration", generation);
    }
    return status;
  }

  private static Map<String, Object> counts(PhaseCounts counts) {
    Map<String, Object> byPhase = new LinkedHashMap<>();
    for (TaskPhase phase : TaskPhase.values()) {
      byPhase.put(phase.name().toLowerCase(java.util.Locale.ROOT), counts.of(phase));
    }
    return byPhase;
  }
}

package io.kontroler.ingest.workflow;

import io.kontroler.ingest.k8s.RunSummary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kopf operator's status of a WorkFlow: {@code workflow-status} (Created, Started, Completed,
 * Failed), {@code status-changed} (when it last changed) and {@code message}, plus the run it
 * follows.
 */
final class WorkflowStatus {
  static final String FIELD = "workflow-status";
  static final String CHANGED = "status-changed";

  enum Value {
    Created,
    Started,
    Completed,
    Failed
  }

  private WorkflowStatus() {}

  static Value of(RunSummary run) {
    if (run.rejected()) {
      return Value.Failed;
    }
    return switch (run.phase()) {
      case Pending -> Value.Created;
      case Running -> Value.Started;
      case Succeeded -> Value.Completed;
      case Failed, Cancelled -> Value.Failed;
    };
  }

  /**
   * The status map; {@code status-changed} stays as in {@code previous} unless the value changed.
   */
  static Map<String, Object> build(
      Value value,
      String message,
      String runId,
      String dag,
      Long generation,
      Map<String, Object> previous,
      Instant now) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put(FIELD, value.name());
    Object changedAt = previous.get(CHANGED);
    boolean same = value.name().equals(previous.get(FIELD)) && changedAt != null;
    status.put(CHANGED, same ? changedAt : now.toString());
    if (message != null) {
      status.put("message", message);
    }
    if (runId != null) {
      status.put("runId", runId);
      status.put("dag", dag);
    }
    if (generation != null) {
      status.put("observedGeneration", generation);
    }
    return status;
  }
}

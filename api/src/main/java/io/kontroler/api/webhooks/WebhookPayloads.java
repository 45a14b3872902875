package io.kontroler.api.webhooks;

import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunCommand.ChildRunLinked;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.TaskPhase;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body of a webhook delivery. Task events keep the original Kontroler shape ({@code type:
 * taskrun}, {@code status} started|pending|success|failed|suspended, {@code dagRunId}, {@code
 * taskName}, {@code taskId}) and add the exact phase, attempt, DAG and time; run events are {@code
 * type: dagrun} with the run's phase.
 */
final class WebhookPayloads {
  private WebhookPayloads() {}

  /**
   * The payload, or null when the event is not delivered (a task back to Pending, a child run's
   * link: the child's own run events follow; a task waiting for a pool's slot: it is still
   * Pending).
   */
  static Map<String, Object> of(Notification event) {
    if (event instanceof ChildRunLinked
        || event instanceof RunCommand.BackfillProgress
        || event instanceof RunCommand.RunPauseChanged
        || event instanceof RunCommand.TaskApprovalRecorded
        || event instanceof RunCommand.TaskWaitingForPool) {
      return null;
    }
    if (event instanceof RunCommand.SlaMissed m) {
      return slaMissed(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (event instanceof TaskPhaseChanged t) {
      String status = taskStatus(t.to());
      if (status == null) {
        return null;
      }
      out.put("type", "taskrun");
      out.put("status", status);
      out.put("dagRunId", t.runId());
      out.put("taskName", t.task());
      out.put("taskId", t.runId() + "/" + t.task());
      out.put("dag", t.dag());
      out.put("phase", t.to().name());
      out.put("attempt", t.attempt());
      if (t.exitCode() != null) {
        out.put("exitCode", t.exitCode());
      }
      if (t.failureKind() != null) {
        out.put("failureKind", t.failureKind().name());
      }
      if (t.message() != null) {
        out.put("message", t.message());
      }
      out.put("at", t.at().toString());
    } else if (event instanceof RunPhaseChanged r) {
      out.put("type", "dagrun");
      out.put("status", r.to().name().toLowerCase(Locale.ROOT));
      out.put("dagRunId", r.runId());
      out.put("dag", r.dag());
      out.put("dagVersion", r.dagVersion());
      if (r.runName() != null) {
        out.put("runName", r.runName());
      }
      out.put("phase", r.to().name());
      if (r.message() != null) {
        out.put("message", r.message());
      }
      out.put("at", r.at().toString());
    } else {
      RunRejected r = (RunRejected) event;
      out.put("type", "dagrun");
      out.put("status", "rejected");
      out.put("dagRunId", r.runId());
      out.put("dag", r.dag());
      out.put("phase", "Failed");
      out.put("problems", r.problems());
      out.put("at", r.at().toString());
    }
    return out;
  }

  /** A missed SLA: of the run ({@code taskName} absent) or of a task. */
  private static Map<String, Object> slaMissed(RunCommand.SlaMissed m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", "slamissed");
    out.put("status", "slamissed");
    out.put("dagRunId", m.runId());
    out.put("dag", m.dag());
    if (m.task() != null) {
      out.put("taskName", m.task());
    }
    out.put("seconds", m.seconds());
    out.put("at", m.at().toString());
    return out;
  }

  static String taskStatus(TaskPhase phase) {
    return switch (phase) {
      case Pending -> null;
      case Queued -> "pending";
      case Running -> "started";
      case Succeeded -> "success";
      case Failed, Retrying -> "failed";
      case Skipped -> "suspended";
      case Cancelled -> "cancelled";
    };
  }
}

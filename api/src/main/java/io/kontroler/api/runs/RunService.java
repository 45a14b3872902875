package io.kontroler.api.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.dags.DagService;
import io.kontroler.api.dags.DagStore;
import io.kontroler.api.history.InstanceName;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.Metadata;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.message.FinishedRuns;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.validate.Problem;
import io.kontroler.core.validate.RunValidator;
import io.kontroler.core.validate.Validated;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Requests, cancels, retries and re-runs (from a chosen task) runs by publishing commands. A
 * request gets a fresh idempotency key, so its run id ({@link RunIds#forRequest}) is known at once
 * and answered before the scheduler has read it; the run is recorded as Pending meanwhile.
 */
public final class RunService {

  /** The body of {@code POST /runs}. */
  public record RunRequest(String dagName, Map<String, JsonNode> parameters, String name) {}

  private final DagService dags;
  private final DagStore dagStore;
  private final RunStore runs;
  private final Publisher publisher;
  private final Clock clock;
  private final Supplier<String> keys;
  private final Duration retryWindow;

  /**
   * @param retryWindow how long after it finished a run can be retried
   */
  public RunService(
      DagService dags,
      DagStore dagStore,
      RunStore runs,
      Publisher publisher,
      Clock clock,
      Duration retryWindow) {
    this(dags, dagStore, runs, publisher, clock, () -> UUID.randomUUID().toString(), retryWindow);
  }

  RunService(
      DagService dags,
      DagStore dagStore,
      RunStore runs,
      Publisher publisher,
      Clock clock,
      Supplier<String> keys,
      Duration retryWindow) {
    this.dags = dags;
    this.dagStore = dagStore;
    this.runs = runs;
    this.publisher = publisher;
    this.clock = clock;
    this.keys = keys;
    this.retryWindow = retryWindow;
  }

  /** The DAG key of a {@code dagName}: {@code name} (default namespace) or {@code ns/name}. */
  public static String dagKey(String dagName) {
    return dagName.contains("/") ? dagName : Metadata.DEFAULT_NAMESPACE + "/" + dagName;
  }

  /** Publishes a run request; returns the run id. */
  public String request(RunRequest body) {
    if (body.dagName() == null || body.dagName().isBlank()) {
      throw ApiException.badRequest(List.of(new Problem("dagName", "missing")));
    }
    String dag = dagKey(body.dagName());
    DagStore.DagHead head = dags.liveHead(dag);
    DagStore.DagVersion latest =
        dagStore
            .version(dag, head.latestVersion())
            .orElseThrow(() -> ApiException.notFound("no DAG '" + dag + "'"));
    Map<String, ParameterValue> overrides = overrides(body.parameters());
    Validated<Map<String, ParameterValue>> values =
        RunValidator.resolve(dag, latest.spec(), overrides, "parameters");
    if (!values.ok()) {
      throw ApiException.badRequest(values.problems());
    }
    String key = keys.get();
    String runId = RunIds.forRequest(dag, key);
    Instant now = clock.instant();
    Map<String, String> shown = new LinkedHashMap<>();
    values.value().forEach((k, v) -> shown.put(k, v.display()));
    runs.database()
        .transaction(
            c -> {
              RunStore.insertRequested(c, runId, dag, latest.version(), body.name(), shown, now);
              publisher.command(new Inbound.RunRequested(dag, body.name(), overrides, key, now));
              return null;
            });
    return runId;
  }

  public void cancel(String runId, String who) {
    RunStore.RunRow run = existing(runId);
    if (!RunPhase.valueOf(run.phase()).canCancel()) {
      throw ApiException.conflict(
          "Expected a run in progress, but run " + runId + " is " + run.phase());
    }
    publisher.command(new Inbound.CancelRun(run.dag(), runId, "cancelled by " + who));
  }

  /** Publishes a pause of a run in progress: no new task of it starts until it is resumed. */
  public void pause(String runId, String who) {
    RunStore.RunRow run = existing(runId);
    if (!RunPhase.valueOf(run.phase()).canCancel()) {
      throw ApiException.conflict(
          "Expected a run in progress, but run " + runId + " is " + run.phase());
    }
    if (run.paused()) {
      throw ApiException.conflict("Expected a run that is not paused, but run " + runId + " is");
    }
    publisher.command(new Inbound.PauseRun(run.dag(), runId, who));
  }

  /** Publishes the resume of a paused run. */
  public void resume(String runId, String who) {
    RunStore.RunRow run = existing(runId);
    if (!run.paused()) {
      throw ApiException.conflict(
          "Expected a paused run, but run " + runId + " is " + run.phase() + " and not paused");
    }
    publisher.command(new Inbound.ResumeRun(run.dag(), runId, who));
  }

  /**
   * Publishes {@code user}'s decision on the approval task {@code task} of a run: 404 for an
   * unknown run or task, 409 for a task that is not an approval task or does not wait, 403 when
   * neither the user nor one of {@code roles} is an approver.
   */
  public void decide(
      String runId, String task, String user, List<String> roles, boolean approve, String comment) {
    RunStore.RunRow run = existing(runId);
    requireTaskOf(run, task);
    DagSpec dag = dagStore.version(run.dag(), run.dagVersion()).orElseThrow().spec();
    io.kontroler.core.dag.TaskSpec spec =
        Stream.concat(dag.task().stream(), dag.onExit().stream())
            .filter(t -> t.name().equals(task))
            .findFirst()
            .orElse(null);
    if (spec == null || !spec.awaitsApproval()) {
      throw ApiException.conflict(
          "Expected an approval task, but task '" + task + "' of run " + runId + " is not one");
    }
    if (!spec.approval().allows(user, roles)) {
      throw new ApiException(
          403,
          "Expected one of the approvers "
              + spec.approval().approvers()
              + " of task '"
              + task
              + "', but user '"
              + user
              + "' with roles "
              + roles
              + " is none of them");
    }
    boolean waiting =
        runs.tasks(runId).stream()
            .anyMatch(t -> t.task().equals(task) && t.phase().equals("Running"));
    if (!waiting) {
      throw ApiException.conflict(
          "Expected task '"
              + task
              + "' of run "
              + runId
              + " to wait for approval, but it does not");
    }
    publisher.command(
        approve
            ? new Inbound.ApproveTask(run.dag(), runId, task, user, roles, comment)
            : new Inbound.RejectTask(run.dag(), runId, task, user, roles, comment));
  }

  public void retry(String runId) {
    RunStore.RunRow run = existing(runId);
    if (!RunPhase.valueOf(run.phase()).canRetry()) {
      throw ApiException.conflict(
          "Expected a Failed or Cancelled run, but run " + runId + " is " + run.phase());
    }
    requireRetained(run);
    publisher.command(new Inbound.RetryRun(run.dag(), runId));
  }

  /**
   * Publishes a re-run of {@code task} and everything downstream of it in a run that has started
   * (running or finished, of either outcome, within the scheduler's retention of finished runs).
   */
  public void rerun(String runId, String task) {
    RunStore.RunRow run = existing(runId);
    requireTaskOf(run, task);
    if (RunPhase.valueOf(run.phase()) == RunPhase.Pending) {
      throw ApiException.conflict(
          "Expected a run that has started, but run " + runId + " is " + run.phase());
    }
    requireRetained(run);
    publisher.command(new Inbound.RerunTask(run.dag(), runId, task));
  }

  /** 404 unless {@code task} is a task of the run's DAG version; 400 for one of its instances. */
  private void requireTaskOf(RunStore.RunRow run, String task) {
    DagSpec spec =
        run.dagVersion() == null
            ? null
            : dagStore.version(run.dag(), run.dagVersion()).map(v -> v.spec()).orElse(null);
    if (spec == null) {
      throw ApiException.notFound("no version of DAG '" + run.dag() + "' for run " + run.id());
    }
    boolean known =
        Stream.concat(spec.task().stream(), spec.onExit().stream())
            .anyMatch(t -> t.name().equals(task));
    if (known) {
      return;
    }
    InstanceName instance = InstanceName.parse(task);
    if (instance != null && spec.task().stream().anyMatch(t -> t.name().equals(instance.task()))) {
      throw ApiException.badRequest(
          List.of(
              new Problem(
                  "task",
                  "expected a task of the DAG, but '"
                      + task
                      + "' is an instance of '"
                      + instance.task()
                      + "': re-run '"
                      + instance.task()
                      + "' to run its instances again")));
    }
    throw ApiException.notFound("no task '" + task + "' in run " + run.id() + " of " + run.dag());
  }

  private void requireRetained(RunStore.RunRow run) {
    if (run.finishedAt() != null && run.finishedAt().plus(retryWindow).isBefore(clock.instant())) {
      throw ApiException.conflict(
          "Expected a run that finished within the scheduler's retention of finished runs ("
              + retryWindow
              + ", "
              + FinishedRuns.RETENTION_KEY
              + "), but run "
              + run.id()
              + " finished at "
              + run.finishedAt()
              + ": start a new run instead");
    }
  }

  public RunStore.RunRow existing(String runId) {
    return runs.find(runId).orElseThrow(() -> ApiException.notFound("no run '" + runId + "'"));
  }

  static Map<String, ParameterValue> overrides(Map<String, JsonNode> parameters) {
    Map<String, ParameterValue> out = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    if (parameters == null) {
      return out;
    }
    parameters.forEach(
        (name, node) -> {
          if (node != null && node.isValueNode() && !node.isNull()) {
            out.put(name, new ParameterValue.Literal(node.asText()));
          } else if (node != null
              && node.isObject()
              && node.size() == 1
              && node.path("fromSecret").isTextual()) {
            out.put(name, new ParameterValue.FromSecret(node.get("fromSecret").asText()));
          } else {
            problems.add(
                new Problem(
                    "parameters[" + name + "]",
                    "expected a string, number, boolean or {\"fromSecret\": \"<secret>\"}"));
          }
        });
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(problems);
    }
    return out;
  }
}

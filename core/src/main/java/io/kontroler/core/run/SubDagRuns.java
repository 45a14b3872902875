package io.kontroler.core.run;

import io.kontroler.core.dag.DagRef;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.RunCommand.ChildRunLinked;
import io.kontroler.core.run.RunCommand.SendInbound;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages between a parent run and the child runs of its {@code dagRef} tasks, all through
 * {@code kontroler.commands} (the child's DAG may live on another partition). The child's run id is
 * derived from the parent run, task and attempt, so an attempt asked again after a crash names the
 * same child, which its partition then starts once.
 */
final class SubDagRuns {
  private SubDagRuns() {}

  /** The child DAG of {@code task}: the DAG {@code dagRef.name} in the parent DAG's namespace. */
  static String childDag(String parentDag, DagRef ref) {
    int slash = parentDag.indexOf('/');
    return (slash < 0 ? "" : parentDag.substring(0, slash + 1)) + ref.name();
  }

  /** The child run id of attempt {@code attempt} of {@code task} of {@code runId}. */
  static String childRunId(String childDag, String runId, String task, int attempt) {
    return RunIds.forRequest(childDag, ParentRun.childKey(runId, task, attempt));
  }

  /** The link notification and the request of the child run for the queued attempt {@code t}. */
  static List<RunCommand> request(
      DagPlan plan, RunState run, TaskState t, RunValues values, Instant at) {
    DagRef ref = plan.task(plan.indexOf(t.name())).dagRef();
    String childDag = childDag(run.dag(), ref);
    String key = ParentRun.childKey(run.runId(), t.name(), t.attempt());
    Map<String, ParameterValue> parameters = new LinkedHashMap<>();
    for (DagRef.Parameter p : ref.parameters()) {
      parameters.put(p.name(), new ParameterValue.Literal(values.render(p.value())));
    }
    ParentRun parent =
        new ParentRun(run.runId(), run.dag(), t.name(), t.attempt(), run.depth() + 1);
    Inbound.RunRequested request =
        new Inbound.RunRequested(
            childDag, null, parameters, key, at, Inbound.RunRequested.SUB_DAG, parent);
    return List.of(
        new ChildRunLinked(
            run.runId(),
            run.dag(),
            t.name(),
            t.attempt(),
            RunIds.forRequest(childDag, key),
            childDag,
            at),
        new SendInbound(run.runId(), run.dag(), request));
  }

  /** A cancel of the child run of the active attempt {@code t}. */
  static SendInbound cancel(DagPlan plan, RunState run, TaskState t, String reason) {
    String childDag = childDag(run.dag(), plan.task(plan.indexOf(t.name())).dagRef());
    String childRunId = childRunId(childDag, run.runId(), t.name(), t.attempt());
    return new SendInbound(
        run.runId(), run.dag(), new Inbound.CancelRun(childDag, childRunId, "parent: " + reason));
  }

  /**
   * Tells {@code parent} that its child run {@code runId} of {@code dag} ended in {@code phase}.
   */
  static SendInbound ended(
      ParentRun parent, String runId, String dag, RunPhase phase, String message, Instant at) {
    return new SendInbound(
        runId,
        dag,
        new Inbound.ChildRunEnded(
            parent.dag(),
            parent.runId(),
            parent.task(),
            parent.attempt(),
            runId,
            dag,
            phase,
            message,
            at));
  }
}

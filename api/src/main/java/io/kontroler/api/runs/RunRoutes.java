package io.kontroler.api.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.kontroler.api.auth.AccessGuard;
import io.kontroler.api.auth.Role;
import io.kontroler.api.dags.DagStore;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Bodies;
import io.kontroler.api.http.Paging;
import io.kontroler.api.http.Route;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.validate.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs: request, list, read with tasks, cancel, retry, re-run from a task, and task attempts. */
public final class RunRoutes {
  private static final String RUN = "/api/v1/runs/{id}";

  record Summary(
      String id,
      String dag,
      String dagName,
      String namespace,
      Integer dagVersion,
      String name,
      String phase,
      PhaseCounts counts,
      String message,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      boolean paused,
      boolean slaMissed) {}

  record TaskView(
      String name,
      String phase,
      int attempts,
      Integer exitCode,
      String failureKind,
      String message,
      List<String> runAfter,
      Instant startedAt,
      Instant finishedAt,
      Map<String, String> outputs,
      Boolean exit,
      Instances instances,
      String childRunId,
      Approval approval,
      String waitingForPool) {

    TaskView with(Instances value, String child) {
      return new TaskView(
          name,
          phase,
          attempts,
          exitCode,
          failureKind,
          message,
          runAfter,
          startedAt,
          finishedAt,
          outputs,
          exit,
          value,
          child,
          approval,
          waitingForPool);
    }

    TaskView withApproval(Approval value) {
      return new TaskView(
          name,
          phase,
          attempts,
          exitCode,
          failureKind,
          message,
          runAfter,
          startedAt,
          finishedAt,
          outputs,
          exit,
          instances,
          childRunId,
          value,
          waitingForPool);
    }
  }

  /**
   * The instances of a forEach task reported so far: how many, counted by phase, and the first page
   * of them ({@code nextOffset} for the next one, from {@code /tasks/{task}/instances}).
   */
  record Instances(
      int total, Map<String, Integer> counts, List<TaskView> items, Integer nextOffset) {}

  /**
   * An approval task's rule and its latest decision ({@code decision} absent while it waits; {@code
   * decision.user} absent when it timed out).
   */
  record Approval(List<String> approvers, long timeoutSeconds, RunStore.ApprovalRow decision) {}

  /** A page of a forEach task's instances, by index. */
  record InstancePage(List<TaskView> items, int total, int offset, int limit, Integer nextOffset) {}

  /** The parent run and dagRef task that started a child run. */
  record Parent(String runId, String dag, String task) {}

  record Detail(
      String id,
      String dag,
      String dagName,
      String namespace,
      Integer dagVersion,
      String name,
      String phase,
      String message,
      PhaseCounts counts,
      Map<String, String> parameters,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      Parent parent,
      List<TaskView> tasks,
      boolean paused,
      String pausedBy,
      boolean slaMissed) {}

  /** Writes a DAG spec in its message form. */
  private static final ObjectMapper SPEC_JSON = MessageCodec.mapper();

  private final RunService service;
  private final RunStore store;
  private final DagStore dags;
  private final Bodies bodies;

  public RunRoutes(RunService service, RunStore store, DagStore dags, Bodies bodies) {
    this.service = service;
    this.store = store;
    this.dags = dags;
    this.bodies = bodies;
  }

  public List<Route> routes() {
    return List.of(
        Route.post("/api/v1/runs", Role.editor, "Start a run of a DAG", this::request),
        Route.get(
            "/api/v1/runs",
            Role.viewer,
            "List runs, newest first (dag, phase, cursor)",
            this::list),
        Route.get(RUN, Role.viewer, "A run with its tasks", this::get),
        Route.post(RUN + "/cancel", Role.editor, "Cancel a run", this::cancel),
        Route.post(RUN + "/retry", Role.editor, "Retry the failed tasks of a run", this::retry),
        Route.post(
            RUN + "/tasks/{task}/rerun",
            Role.editor,
            "Run a task and every task downstream of it again",
            this::rerun),
        Route.get(
            RUN + "/tasks/{task}/attempts", Role.viewer, "The attempts of a task", this::attempts),
        Route.get(
            RUN + "/tasks/{task}/instances",
            Role.viewer,
            "The instances of a forEach task, by index (offset, limit)",
            this::instances),
        Route.post(RUN + "/pause", Role.editor, "Start no new task of a run", this::pause),
        Route.post(RUN + "/resume", Role.editor, "Let a paused run go on", this::resume),
        Route.post(
            RUN + "/tasks/{task}/approve",
            Role.viewer,
            "Approve a waiting approval task (an approver: the user or one of their roles)",
            ctx -> decide(ctx, true)),
        Route.post(
            RUN + "/tasks/{task}/reject",
            Role.viewer,
            "Reject a waiting approval task, which fails (an approver)",
            ctx -> decide(ctx, false)));
  }

  private void request(Context ctx) {
    String id = service.request(bodies.json(ctx, RunService.RunRequest.class));
    ctx.status(201).json(Map.of("id", id));
  }

  private void list(Context ctx) {
    String phase = ctx.queryParam("phase");
    if (phase != null) {
      try {
        RunPhase.valueOf(phase);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            List.of(new Problem("phase", "expected one of " + List.of(RunPhase.values()))));
      }
    }
    String dag = ctx.queryParam("dag");
    int limit = Paging.intParam(ctx, "limit", Paging.DEFAULT_LIMIT, 1, Paging.MAX_LIMIT);
    RunStore.Page page =
        store.list(
            dag == null ? null : RunService.dagKey(dag), phase, ctx.queryParam("cursor"), limit);
    List<Summary> items = page.items().stream().map(RunRoutes::summary).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    if (page.nextCursor() != null) {
      body.put("nextCursor", page.nextCursor());
    }
    ctx.json(body);
  }

  private static Summary summary(RunStore.RunRow r) {
    int slash = r.dag().indexOf('/');
    return new Summary(
        r.id(),
        r.dag(),
        r.dag().substring(slash + 1),
        r.dag().substring(0, slash),
        r.dagVersion(),
        r.runName(),
        r.phase(),
        r.counts(),
        r.message(),
        r.createdAt(),
        r.startedAt(),
        r.finishedAt(),
        r.paused(),
        r.slaMissed());
  }

  private void get(Context ctx) {
    RunStore.RunRow r = service.existing(ctx.pathParam("id"));
    Summary s = summary(r);
    ctx.json(
        new Detail(
            r.id(),
            r.dag(),
            s.dagName(),
            s.namespace(),
            r.dagVersion(),
            r.runName(),
            r.phase(),
            r.message(),
            r.counts(),
            r.parameters(),
            r.createdAt(),
            r.startedAt(),
            r.finishedAt(),
            store
                .parentOf(r.id())
                .map(l -> new Parent(l.parentRunId(), l.parentDag(), l.parentTask()))
                .orElse(null),
            tasks(r),
            r.paused(),
            r.pausedBy(),
            r.slaMissed()));
  }

  /**
   * The run's tasks in DAG order, then its exit tasks ({@code spec.onExit}, marked {@code exit}):
   * those not reported yet are Pending.
   */
  private List<TaskView> tasks(RunStore.RunRow r) {
    Map<String, RunStore.TaskRow> reported = new LinkedHashMap<>();
    store.tasks(r.id()).forEach(t -> reported.put(t.task(), t));
    Optional<DagSpec> spec =
        r.dagVersion() == null
            ? Optional.empty()
            : dags.version(r.dag(), r.dagVersion()).map(v -> v.spec());
    List<TaskView> out = new ArrayList<>();
    Map<String, RunStore.ApprovalRow> decisions = store.approvals(r.id());
    for (TaskSpec t : spec.map(DagSpec::task).orElse(List.of())) {
      RunStore.TaskRow row = reported.remove(t.name());
      TaskView view = view(t.name(), t.runAfter(), row, null);
      out.add(
          t.awaitsApproval()
              ? view.withApproval(
                  new Approval(
                      t.approval().approvers(),
                      t.approval().timeoutSeconds(),
                      decisionOf(decisions.get(t.name()), view)))
              : view);
    }
    // Read from the spec's message form, where exit tasks are the "onExit" list.
    JsonNode exits = spec.map(s -> SPEC_JSON.valueToTree(s).path("onExit")).orElse(null);
    if (exits != null) {
      for (JsonNode t : exits) {
        List<String> runAfter = new ArrayList<>();
        t.path("runAfter").forEach(up -> runAfter.add(up.asText()));
        String name = t.path("name").asText();
        out.add(view(name, runAfter, reported.remove(name), Boolean.TRUE));
      }
    }
    reported.values().forEach(row -> out.add(view(row.task(), List.of(), row, null)));
    Map<String, Map<String, Integer>> counts = store.instanceCounts(r.id());
    Map<String, String> children = store.childRuns(r.id());
    if (counts.isEmpty() && children.isEmpty()) {
      return out;
    }
    return out.stream()
        .map(
            t -> {
              Map<String, Integer> byPhase = counts.get(t.name());
              Instances group =
                  byPhase == null ? null : instances(r.id(), t.name(), byPhase, 0, FIRST_PAGE);
              return t.with(group, children.get(t.name()));
            })
        .toList();
  }

  /** The decision on the task's latest attempt; none for an attempt still waiting. */
  private static RunStore.ApprovalRow decisionOf(RunStore.ApprovalRow decision, TaskView view) {
    return decision != null && decision.attempt() == view.attempts() ? decision : null;
  }

  /** The first instances shown with their task in a run. */
  static final int FIRST_PAGE = 20;

  private Instances instances(
      String runId, String task, Map<String, Integer> byPhase, int offset, int limit) {
    int total = byPhase.values().stream().mapToInt(Integer::intValue).sum();
    List<TaskView> items =
        store.instances(runId, task, offset, limit).stream()
            .map(row -> view(row.task(), List.of(), row, null))
            .toList();
    Integer next = offset + items.size() < total ? offset + items.size() : null;
    return new Instances(total, byPhase, items, next);
  }

  private void instances(Context ctx) {
    RunStore.RunRow run = service.existing(ctx.pathParam("id"));
    String task = ctx.pathParam("task");
    Paging paging = Paging.of(ctx);
    Map<String, Integer> byPhase = store.instanceCounts(run.id()).getOrDefault(task, Map.of());
    Instances page = instances(run.id(), task, byPhase, paging.offset(), paging.limit());
    ctx.json(
        new InstancePage(
            page.items(), page.total(), paging.offset(), paging.limit(), page.nextOffset()));
  }

  private static TaskView view(
      String name, List<String> runAfter, RunStore.TaskRow row, Boolean exit) {
    if (row == null) {
      return new TaskView(
          name, "Pending", 0, null, null, null, runAfter, null, null, Map.of(), exit, null, null,
          null, null);
    }
    return new TaskView(
        name,
        row.phase(),
        row.attempt(),
        row.exitCode(),
        row.failureKind(),
        row.message(),
        runAfter,
        row.startedAt(),
        row.finishedAt(),
        row.outputs(),
        exit,
        null,
        null,
        null,
        row.waitingForPool());
  }

  private void cancel(Context ctx) {
    service.cancel(ctx.pathParam("id"), AccessGuard.principal(ctx).username());
    ctx.status(202).json(Map.of("id", ctx.pathParam("id")));
  }

  private void retry(Context ctx) {
    service.retry(ctx.pathParam("id"));
    ctx.status(202).json(Map.of("id", ctx.pathParam("id")));
  }

  private void rerun(Context ctx) {
    service.rerun(ctx.pathParam("id"), ctx.pathParam("task"));
    ctx.status(202).json(Map.of("id", ctx.pathParam("id")));
  }

  private void pause(Context ctx) {
    service.pause(ctx.pathParam("id"), AccessGuard.principal(ctx).username());
    ctx.status(202).json(Map.of("id", ctx.pathParam("id")));
  }

  private void resume(Context ctx) {
    service.resume(ctx.pathParam("id"), AccessGuard.principal(ctx).username());
    ctx.status(202).json(Map.of("id", ctx.pathParam("id")));
  }

  /** The body of an approval decision: an optional comment. */
  record Decision(String comment) {}

  private void decide(Context ctx, boolean approve) {
    String body = bodies.text(ctx);
    String comment =
        body.isBlank()
            ? null
            : io.kontroler.api.http.Json.read(
                    body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Decision.class)
                .comment();
    var who = AccessGuard.principal(ctx);
    service.decide(
        ctx.pathParam("id"),
        ctx.pathParam("task"),
        who.username(),
        rolesOf(who.role()),
        approve,
        comment);
    ctx.status(202).json(Map.of("id", ctx.pathParam("id")));
  }

  /** A role and every role below it: an admin is an editor and a viewer too. */
  static List<String> rolesOf(Role role) {
    return java.util.Arrays.stream(Role.values()).filter(role::atLeast).map(Role::name).toList();
  }

  private void attempts(Context ctx) {
    String id = service.existing(ctx.pathParam("id")).id();
    ctx.json(Map.of("items", store.attempts(id, ctx.pathParam("task"))));
  }
}

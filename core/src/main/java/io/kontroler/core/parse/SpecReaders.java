package io.kontroler.core.parse;

import io.kontroler.core.dag.Approval;
import io.kontroler.core.dag.Backoff;
import io.kontroler.core.dag.ConcurrencyPolicy;
import io.kontroler.core.dag.Conditional;
import io.kontroler.core.dag.DagRef;
import io.kontroler.core.dag.DagRunSpec;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.PodTemplate;
import io.kontroler.core.dag.RunParameter;
import io.kontroler.core.dag.Sla;
import io.kontroler.core.dag.TaskEnv;
import io.kontroler.core.dag.TaskRef;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.dag.TriggerRule;
import io.kontroler.core.dag.Webhook;
import io.kontroler.core.dag.WorkflowSpec;
import io.kontroler.core.dag.Workspace;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Field-for-field readers of each resource's spec. */
final class SpecReaders {
  private static final Set<String> DAG_FIELDS =
      Set.of(
          "schedule",
          "task",
          "parameters",
          "webhook",
          "workspace",
          "suspended",
          "timezone",
          "concurrencyPolicy",
          "startingDeadlineSeconds",
          "onExit",
          "maxActiveRuns",
          "sla");
  private static final Set<String> TASK_BODY_FIELDS =
      Set.of(
          "image",
          "command",
          "args",
          "script",
          "backoff",
          "conditional",
          "parameters",
          "podTemplate",
          "env",
          "outputs",
          "when",
          "trigger",
          "allowFailure");
  private static final Set<String> POD_TEMPLATE_FIELDS =
      Set.of(
          "volumes",
          "volumeMounts",
          "imagePullSecrets",
          "securityContext",
          "nodeSelector",
          "tolerations",
          "affinity",
          "serviceAccountName",
          "activeDeadlineSeconds",
          "automountServiceAccountToken",
          "resources");

  private SpecReaders() {}

  static DagSpec dag(NodeReader spec) {
    spec.allowOnly(DAG_FIELDS);
    List<TaskSpec> tasks =
        spec.list("task", (n, at) -> task(NodeReader.of(n, at, spec.problems())));
    List<ParameterSpec> parameters =
        spec.list("parameters", (n, at) -> parameter(NodeReader.of(n, at, spec.problems())));
    List<TaskSpec> onExit =
        spec.list("onExit", (n, at) -> task(NodeReader.of(n, at, spec.problems())));
    return new DagSpec(
        spec.string("schedule"),
        tasks,
        parameters,
        webhook(spec.object("webhook")),
        workspace(spec.object("workspace")),
        Boolean.TRUE.equals(spec.bool("suspended")),
        spec.string("timezone"),
        concurrencyPolicy(spec),
        spec.longValue("startingDeadlineSeconds"),
        onExit,
        spec.integer("maxActiveRuns"),
        sla(spec.object("sla")));
  }

  private static Sla sla(NodeReader sla) {
    if (sla == null) {
      return null;
    }
    sla.allowOnly(Set.of("runSeconds", "taskSeconds"));
    return new Sla(sla.longValue("runSeconds"), sla.longValue("taskSeconds"));
  }

  private static ConcurrencyPolicy concurrencyPolicy(NodeReader spec) {
    String value = spec.string("concurrencyPolicy");
    if (value == null) {
      return null;
    }
    for (ConcurrencyPolicy policy : ConcurrencyPolicy.values()) {
      if (policy.name().equals(value)) {
        return policy;
      }
    }
    spec.problem(
        spec.child("concurrencyPolicy"),
        "expected one of "
            + Arrays.toString(ConcurrencyPolicy.values())
            + ", but got '"
            + value
            + "'");
    return null;
  }

  private static TaskSpec task(NodeReader task) {
    if (task == null) {
      return null;
    }
    Set<String> allowed = new java.util.HashSet<>(TASK_BODY_FIELDS);
    allowed.addAll(
        Set.of(
            "name", "runAfter", "taskRef", "forEach", "parallelism", "dagRef", "approval", "pool"));
    task.allowOnly(allowed);
    return new TaskSpec(
        task.string("name"),
        task.string("image"),
        task.strings("command"),
        task.strings("args"),
        task.string("script"),
        task.strings("runAfter"),
        backoff(task.object("backoff")),
        conditional(task.object("conditional")),
        task.strings("parameters"),
        podTemplate(task.object("podTemplate")),
        taskRef(task.object("taskRef")),
        env(task),
        task.strings("outputs"),
        task.string("when"),
        trigger(task),
        Boolean.TRUE.equals(task.bool("allowFailure")),
        task.listOrText("forEach"),
        task.integer("parallelism"),
        dagRef(task.object("dagRef")),
        approval(task.object("approval")),
        task.string("pool"));
  }

  private static Approval approval(NodeReader approval) {
    if (approval == null) {
      return null;
    }
    approval.allowOnly(Set.of("approvers", "timeoutSeconds"));
    Long timeout = approval.longValue("timeoutSeconds");
    return new Approval(approval.strings("approvers"), timeout == null ? 0 : timeout);
  }

  private static DagRef dagRef(NodeReader ref) {
    if (ref == null) {
      return null;
    }
    ref.allowOnly(Set.of("name", "parameters"));
    List<DagRef.Parameter> parameters =
        ref.list(
            "parameters",
            (n, at) -> {
              NodeReader p = NodeReader.of(n, at, ref.problems());
              if (p == null) {
                return null;
              }
              p.allowOnly(Set.of("name", "value"));
              return new DagRef.Parameter(p.string("name"), p.string("value"));
            });
    return new DagRef(ref.string("name"), parameters);
  }

  static DagTaskSpec dagTask(NodeReader spec) {
    Set<String> allowed = new java.util.HashSet<>(TASK_BODY_FIELDS);
    allowed.add("name");
    spec.allowOnly(allowed);
    return new DagTaskSpec(
        spec.string("name"),
        spec.string("image"),
        spec.strings("command"),
        spec.strings("args"),
        spec.string("script"),
        backoff(spec.object("backoff")),
        conditional(spec.object("conditional")),
        spec.strings("parameters"),
        podTemplate(spec.object("podTemplate")),
        env(spec),
        spec.strings("outputs"),
        spec.string("when"),
        trigger(spec),
        Boolean.TRUE.equals(spec.bool("allowFailure")));
  }

  private static List<TaskEnv> env(NodeReader task) {
    return task.list(
        "env",
        (n, at) -> {
          NodeReader e = NodeReader.of(n, at, task.problems());
          if (e == null) {
            return null;
          }
          e.allowOnly(Set.of("name", "value"));
          return new TaskEnv(e.string("name"), e.string("value"));
        });
  }

  private static TriggerRule trigger(NodeReader task) {
    String value = task.string("trigger");
    if (value == null) {
      return null;
    }
    for (TriggerRule rule : TriggerRule.values()) {
      if (rule.name().equals(value)) {
        return rule;
      }
    }
    task.problem(
        task.child("trigger"),
        "expected one of " + Arrays.toString(TriggerRule.values()) + ", but got '" + value + "'");
    return null;
  }

  static DagRunSpec dagRun(NodeReader spec) {
    spec.allowOnly(Set.of("dagName", "parameters"));
    List<RunParameter> parameters =
        spec.list(
            "parameters",
            (n, at) -> {
              NodeReader p = NodeReader.of(n, at, spec.problems());
              if (p == null) {
                return null;
              }
              p.allowOnly(Set.of("name", "value", "fromSecret"));
              return new RunParameter(p.string("name"), p.string("value"), p.string("fromSecret"));
            });
    return new DagRunSpec(spec.string("dagName"), parameters);
  }

  static WorkflowSpec workflow(NodeReader spec) {
    spec.allowOnly(Set.of("maxStepTimeout", "containers"));
    Long timeout = spec.longValue("maxStepTimeout");
    List<WorkflowSpec.Step> steps =
        spec.list(
            "containers",
            (n, at) -> {
              NodeReader s = NodeReader.of(n, at, spec.problems());
              if (s == null) {
                return null;
              }
              s.allowOnly(Set.of("stepName", "image", "command", "dependsOn"));
              return new WorkflowSpec.Step(
                  s.string("stepName"),
                  s.string("image"),
                  s.strings("command"),
                  s.strings("dependsOn"));
            });
    return new WorkflowSpec(
        timeout == null ? WorkflowSpec.DEFAULT_MAX_STEP_TIMEOUT : timeout, steps);
  }

  private static ParameterSpec parameter(NodeReader p) {
    if (p == null) {
      return null;
    }
    p.allowOnly(Set.of("name", "defaultValue", "defaultFromSecret"));
    return new ParameterSpec(
        p.string("name"), p.string("defaultValue"), p.string("defaultFromSecret"));
  }

  private static Backoff backoff(NodeReader b) {
    if (b == null) {
      return null;
    }
    b.allowOnly(Set.of("limit", "delaySeconds", "factor", "maxDelaySeconds"));
    Integer limit = b.integer("limit");
    Long delay = b.longValue("delaySeconds");
    Double factor = b.number("factor");
    Long max = b.longValue("maxDelaySeconds");
    int l = limit == null ? 0 : limit;
    long d = delay == null ? 0 : delay;
    double f = factor == null ? 2.0 : factor;
    long m = max == null ? 0 : max;
    boolean ok = true;
    if (l < 0) {
      b.problem(b.child("limit"), "expected 0 or more, but got " + l);
      ok = false;
    }
    if (d < 0) {
      b.problem(b.child("delaySeconds"), "expected 0 or more, but got " + d);
      ok = false;
    }
    if (f < 1.0) {
      b.problem(b.child("factor"), "expected 1 or more, but got " + f);
      ok = false;
    }
    if (m < 0) {
      b.problem(b.child("maxDelaySeconds"), "expected 0 or more, but got " + m);
      ok = false;
    }
    return ok ? new Backoff(l, d, f, m) : null;
  }

  private static Conditional conditional(NodeReader c) {
    if (c == null) {
      return null;
    }
    c.allowOnly(Set.of("enabled", "retryCodes"));
    return new Conditional(Boolean.TRUE.equals(c.bool("enabled")), c.integers("retryCodes"));
  }

  private static TaskRef taskRef(NodeReader r) {
    if (r == null) {
      return null;
    }
    r.allowOnly(Set.of("name", "version"));
    Integer version = r.integer("version");
    return new TaskRef(r.string("name"), version == null ? 0 : version);
  }

  private static Webhook webhook(NodeReader w) {
    if (w == null) {
      return null;
    }
    w.allowOnly(Set.of("url", "verifySSL"));
    Boolean verify = w.bool("verifySSL");
    return new Webhook(w.string("url"), verify == null || verify);
  }

  private static Workspace workspace(NodeReader w) {
    if (w == null) {
      return null;
    }
    w.allowOnly(Set.of("enable", "pvc"));
    NodeReader pvc = w.object("pvc");
    if (pvc != null) {
      pvc.allowOnly(
          Set.of("accessModes", "selector", "resources", "storageClassName", "volumeMode"));
    }
    return new Workspace(Boolean.TRUE.equals(w.bool("enable")), w.tree("pvc"));
  }

  private static PodTemplate podTemplate(NodeReader p) {
    if (p == null) {
      return null;
    }
    p.allowOnly(POD_TEMPLATE_FIELDS);
    return new PodTemplate(
        p.treeList("volumes"),
        p.treeList("volumeMounts"),
        p.treeList("imagePullSecrets"),
        p.tree("securityContext"),
        p.stringMap("nodeSelector"),
        p.treeList("tolerations"),
        p.tree("affinity"),
        p.string("serviceAccountName"),
        p.longValue("activeDeadlineSeconds"),
        p.bool("automountServiceAccountToken"),
        p.tree("resources"));
  }
}

package io.kontroler.core.validate;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.Metadata;
import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.dag.WorkflowSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Validates a DAG and resolves its {@code taskRef}s, reporting every problem at once with its path.
 * The result's value is the DAG with each referenced DagTask's body in place.
 */
public final class DagValidator {
  private DagValidator() {}

  /** {@link #validate(Metadata, DagSpec, DagTaskCatalog, PodPolicy)} under the default policy. */
  public static Validated<DagSpec> validate(Metadata meta, DagSpec spec, DagTaskCatalog catalog) {
    return validate(meta, spec, catalog, PodPolicy.RESTRICTED);
  }

  /**
   * Validates a DAG whose tasks' pods (referenced DagTasks' too) and parameter Secrets must keep to
   * {@code policy}.
   */
  public static Validated<DagSpec> validate(
      Metadata meta, DagSpec spec, DagTaskCatalog catalog, PodPolicy policy) {
    List<Problem> problems = new ArrayList<>();
    Names.checkMetadata("DAG", meta, problems);
    Set<String> declared = checkParameters(meta.namespace(), spec.parameters(), policy, problems);
    if (spec.task().isEmpty()) {
      problems.add(new Problem("spec.task", "a DAG needs at least one task"));
    }
    List<TaskSpec> resolved =
        resolveTasks(meta.namespace(), spec.task(), "spec.task", catalog, problems);
    List<TaskSpec> onExit =
        resolveTasks(meta.namespace(), spec.onExit(), "spec.onExit", catalog, problems);
    checkTasks(resolved, "spec.task", declared, policy, problems);
    checkTasks(onExit, "spec.onExit", declared, policy, problems);
    Graphs.check(names(spec.task()), runAfters(spec.task()), "spec.task", "runAfter", problems);
    Set<String> mainNames = ExitTasks.check(names(spec.task()), spec.onExit(), problems);
    Graphs.check(
        names(spec.onExit()),
        runAfters(spec.onExit()),
        "spec.onExit",
        "runAfter",
        mainNames,
        problems);
    DagSpec result = spec.withTasks(resolved).withOnExit(onExit);
    LanguageChecks.check(result, problems);
    SubDags.checkSelfReference(meta.name(), result, problems);
    checkSchedule(spec, problems);
    checkWebhook(spec, problems);
    return new Validated<>(result, problems);
  }

  private static void checkTasks(
      List<TaskSpec> tasks,
      String listPath,
      Set<String> declared,
      PodPolicy policy,
      List<Problem> problems) {
    for (int i = 0; i < tasks.size(); i++) {
      String at = listPath + "[" + i + "]";
      Names.checkTaskName(at + ".name", tasks.get(i).name(), problems);
      checkTaskBody(tasks.get(i), at, true, problems);
      Pools.check(tasks.get(i), at, problems);
      checkTaskParameters(tasks.get(i), at, declared, problems);
      checkPod(tasks.get(i), at, policy, problems);
    }
  }

  /** Validates a Kopf WorkFlow: step names, dependencies, images and the step timeout. */
  public static Validated<DagSpec> validateWorkflow(Metadata meta, WorkflowSpec spec) {
    List<Problem> problems = new ArrayList<>();
    Names.checkMetadata("WorkFlow", meta, problems);
    if (spec.maxStepTimeout() == 0 || spec.maxStepTimeout() < -1) {
      problems.add(
          new Problem(
              "spec.maxStepTimeout",
              "expected seconds > 0, or -1 for no limit, but got " + spec.maxStepTimeout()));
    }
    List<String> names = spec.containers().stream().map(WorkflowSpec.Step::stepName).toList();
    List<List<String>> deps = spec.containers().stream().map(WorkflowSpec.Step::dependsOn).toList();
    for (int i = 0; i < spec.containers().size(); i++) {
      WorkflowSpec.Step step = spec.containers().get(i);
      // A step becomes the task of the same name: it must be a name a task may have.
      Names.checkTaskName("spec.containers[" + i + "].stepName", step.stepName(), problems);
      if (blank(step.image())) {
        problems.add(
            new Problem(
                "spec.containers[" + i + "].image", "step '" + step.stepName() + "' has no image"));
      }
    }
    Graphs.check(names, deps, "spec.containers", "dependsOn", problems);
    if (spec.containers().isEmpty()) {
      problems.add(new Problem("spec.containers", "a WorkFlow needs at least one step"));
    }
    return new Validated<>(spec.toDag(), problems);
  }

  /** {@link #validateDagTask(Metadata, DagTaskSpec, PodPolicy)} under the default policy. */
  public static List<Problem> validateDagTask(Metadata meta, DagTaskSpec spec) {
    return validateDagTask(meta, spec, PodPolicy.RESTRICTED);
  }

  /** Validates a DagTask's spec, its pod under {@code policy}. */
  public static List<Problem> validateDagTask(Metadata meta, DagTaskSpec spec, PodPolicy policy) {
    List<Problem> problems = new ArrayList<>();
    Names.checkMetadata("DagTask", meta, problems);
    TaskSpec body =
        new TaskSpec(
            meta.name(),
            spec.image(),
            spec.command(),
            spec.args(),
            spec.script(),
            List.of(),
            spec.backoff(),
            spec.conditional(),
            spec.parameters(),
            spec.podTemplate(),
            null);
    checkTaskBody(body, "spec", true, problems);
    LanguageChecks.checkDagTask(spec, problems);
    problems.addAll(policy.check(spec.podTemplate(), "spec"));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < spec.parameters().size(); i++) {
      String name = spec.parameters().get(i);
      if (blank(name)) {
        problems.add(new Problem("spec.parameters[" + i + "]", "empty parameter name"));
        continue;
      }
      Names.checkParameterName("spec.parameters[" + i + "]", name, problems);
      if (!seen.add(name)) {
        problems.add(
            new Problem("spec.parameters[" + i + "]", "duplicate parameter '" + name + "'"));
      }
    }
    return problems;
  }

  private static Set<String> checkParameters(
      String namespace, List<ParameterSpec> params, PodPolicy policy, List<Problem> problems) {
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < params.size(); i++) {
      ParameterSpec p = params.get(i);
      String at = "spec.parameters[" + i + "]";
      if (blank(p.name())) {
        problems.add(new Problem(at + ".name", "empty parameter name"));
        continue;
      }
      Names.checkParameterName(at + ".name", p.name(), problems);
      Integer earlier = first.putIfAbsent(p.name(), i);
      if (earlier != null) {
        problems.add(
            new Problem(
                at + ".name",
                "duplicate parameter '"
                    + p.name()
                    + "' (first at spec.parameters["
                    + earlier
                    + "])"));
      }
      boolean hasValue = p.defaultValue() != null;
      boolean hasSecret = p.defaultFromSecret() != null;
      if (hasValue == hasSecret) {
        problems.add(
            new Problem(
                at,
                "parameter '"
                    + p.name()
                    + "' needs exactly one of defaultValue or"
                    + " defaultFromSecret, but has "
                    + (hasValue ? "both" : "neither")));
      } else if (hasSecret && blank(p.defaultFromSecret())) {
        problems.add(
            new Problem(
                at + ".defaultFromSecret", "parameter '" + p.name() + "' names an empty secret"));
      } else if (hasSecret && !policy.secretAllowed(namespace, p.defaultFromSecret())) {
        problems.add(
            new Problem(
                at + ".defaultFromSecret", policy.secretRefusal(namespace, p.defaultFromSecret())));
      }
    }
    return first.keySet();
  }

  private static List<TaskSpec> resolveTasks(
      String namespace,
      List<TaskSpec> tasks,
      String listPath,
      DagTaskCatalog catalog,
      List<Problem> problems) {
    List<TaskSpec> resolved = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      TaskSpec task = tasks.get(i);
      if (!task.isReference()) {
        resolved.add(task);
        continue;
      }
      String at = listPath + "[" + i + "].taskRef";
      if (task.image() != null || task.command() != null || task.script() != null) {
        problems.add(
            new Problem(
                at,
                "task '"
                    + task.name()
                    + "' has both a taskRef and an inline image, command or"
                    + " script"));
      }
      SortedMap<Integer, DagTaskSpec> versions = catalog.versions(namespace, task.taskRef().name());
      DagTaskSpec body = versions.get(task.taskRef().version());
      if (versions.isEmpty()) {
        problems.add(
            new Problem(
                at + ".name",
                "task '"
                    + task.name()
                    + "' refers to unknown DagTask '"
                    + task.taskRef().name()
                    + "' in namespace '"
                    + namespace
                    + "'"));
      } else if (body == null) {
        problems.add(
            new Problem(
                at + ".version",
                "task '"
                    + task.name()
                    + "' refers to version "
                    + task.taskRef().version()
                    + " of DagTask '"
                    + task.taskRef().name()
                    + "', which has versions "
                    + versions.keySet()));
      }
      resolved.add(body == null ? task : task.resolvedWith(body));
    }
    return resolved;
  }

  private static void checkTaskBody(
      TaskSpec task, String at, boolean requireCommand, List<Problem> problems) {
    if (task.runsDag()) {
      SubDags.checkBody(task, at, problems);
      return;
    }
    if (task.awaitsApproval()) {
      Approvals.checkBody(task, at, problems);
      return;
    }
    if (task.isReference() && task.image() == null) {
      return; // an unresolved reference was reported already
    }
    String who =
        task.isReference()
            ? "task '" + task.name() + "' (from DagTask '" + task.taskRef().name() + "')"
            : "task '" + task.name() + "'";
    if (blank(task.image())) {
      problems.add(new Problem(at + ".image", who + " has no image"));
    }
    boolean hasCommand = task.command() != null && !task.command().isEmpty();
    boolean hasScript = !blank(task.script());
    if (requireCommand && hasCommand == hasScript) {
      problems.add(
          new Problem(
              at,
              who
                  + (hasCommand
                      ? " sets both command and script"
                      : " needs a command or a script")));
    }
    Long deadline = task.podTemplate().activeDeadlineSeconds();
    if (deadline != null && deadline <= 0) {
      problems.add(
          new Problem(
              at + ".podTemplate.activeDeadlineSeconds",
              "expected seconds > 0, but got " + deadline));
    }
  }

  private static void checkSla(io.kontroler.core.dag.Sla sla, List<Problem> problems) {
    if (sla == null) {
      return;
    }
    if (sla.runSeconds() == null && sla.taskSeconds() == null) {
      problems.add(new Problem("spec.sla", "expected runSeconds or taskSeconds, or both"));
    }
    if (sla.runSeconds() != null && sla.runSeconds() <= 0) {
      problems.add(
          new Problem("spec.sla.runSeconds", "expected seconds > 0, but got " + sla.runSeconds()));
    }
    if (sla.taskSeconds() != null && sla.taskSeconds() <= 0) {
      problems.add(
          new Problem(
              "spec.sla.taskSeconds", "expected seconds > 0, but got " + sla.taskSeconds()));
    }
  }

  private static void checkPod(TaskSpec task, String at, PodPolicy policy, List<Problem> problems) {
    if (!task.isReference()) {
      problems.addAll(policy.check(task.podTemplate(), at));
    } else if (task.image() != null) {
      // The pod comes from a DagTask accepted under an earlier policy: name it at the taskRef.
      String ref = "DagTask '" + task.taskRef().name() + "' version " + task.taskRef().version();
      for (Problem p : policy.check(task.podTemplate(), "spec")) {
        problems.add(new Problem(at + ".taskRef", ref + ", " + p));
      }
    }
  }

  private static void checkTaskParameters(
      TaskSpec task, String at, Set<String> declared, List<Problem> problems) {
    for (int k = 0; k < task.parameters().size(); k++) {
      String name = task.parameters().get(k);
      if (declared.contains(name)) {
        continue;
      }
      if (task.isReference()) {
        problems.add(
            new Problem(
                at + ".taskRef",
                "task '"
                    + task.name()
                    + "' uses parameter '"
                    + name
                    + "' (through DagTask '"
                    + task.taskRef().name()
                    + "' version "
                    + task.taskRef().version()
                    + ") that the DAG does not declare"));
      } else {
        problems.add(
            new Problem(
                at + ".parameters[" + k + "]",
                "task '"
                    + task.name()
                    + "' uses parameter '"
                    + name
                    + "' that the DAG does not declare"));
      }
    }
  }

  private static void checkSchedule(DagSpec spec, List<Problem> problems) {
    if (!spec.schedule().isBlank()) {
      for (String p : Cron.problems(spec.schedule())) {
        problems.add(new Problem("spec.schedule", "bad cron expression: " + p));
      }
    }
    if (spec.timezone() != null) {
      try {
        ZoneId.of(spec.timezone());
      } catch (DateTimeException e) {
        problems.add(
            new Problem(
                "spec.timezone", "expected an IANA time zone, but got '" + spec.timezone() + "'"));
      }
    }
    checkSla(spec.sla(), problems);
    if (spec.startingDeadlineSeconds() != null && spec.startingDeadlineSeconds() < 0) {
      problems.add(
          new Problem(
              "spec.startingDeadlineSeconds",
              "expected 0 or more, but got " + spec.startingDeadlineSeconds()));
    }
    if (spec.maxActiveRuns() != null && spec.maxActiveRuns() < 1) {
      problems.add(
          new Problem(
              "spec.maxActiveRuns",
              "expected at least 1 active run at once, but got " + spec.maxActiveRuns()));
    }
  }

  private static void checkWebhook(DagSpec spec, List<Problem> problems) {
    if (spec.webhook() == null) {
      return;
    }
    String url = spec.webhook().url();
    try {
      URI uri = new URI(url == null ? "" : url);
      String scheme = uri.getScheme();
      if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
        problems.add(
            new Problem("spec.webhook.url", "expected an http(s) URL, but got '" + url + "'"));
      }
    } catch (URISyntaxException e) {
      problems.add(new Problem("spec.webhook.url", "expected a URL, but got '" + url + "'"));
    }
  }

  private static List<String> names(List<TaskSpec> tasks) {
    return tasks.stream().map(TaskSpec::name).toList();
  }

  private static List<List<String>> runAfters(List<TaskSpec> tasks) {
    return tasks.stream().map(TaskSpec::runAfter).toList();
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}

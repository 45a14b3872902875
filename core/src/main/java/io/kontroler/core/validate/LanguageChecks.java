package io.kontroler.core.validate;

import io.kontroler.core.dag.DagRef;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.TaskEnv;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.lang.Condition;
import io.kontroler.core.lang.Template;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the workflow-language fields of every task, main and exit: output and env names, the
 * templates in command, args, script and env values, and the CEL condition in {@code when}. Every
 * reference is checked against what the DAG declares ({@link References}).
 */
final class LanguageChecks {
  private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,62}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private LanguageChecks() {}

  static void check(DagSpec spec, List<Problem> problems) {
    Map<String, ParameterSpec> params = new HashMap<>();
    spec.parameters().forEach(p -> params.putIfAbsent(p.name(), p));
    Map<String, TaskSpec> main = byName(spec.task());
    Map<String, TaskSpec> exits = byName(spec.onExit());
    for (int i = 0; i < spec.task().size(); i++) {
      TaskSpec task = spec.task().get(i);
      References refs =
          new References(params, main, upstream(task, main), false, task.name(), task.fansOut());
      checkTask(task, "spec.task[" + i + "]", refs, problems);
    }
    for (int i = 0; i < spec.onExit().size(); i++) {
      TaskSpec task = spec.onExit().get(i);
      // Every main task is final before an exit task starts: all of their outputs may be read.
      Set<String> visible = new HashSet<>(main.keySet());
      visible.addAll(upstream(task, exits));
      Map<String, TaskSpec> all = new HashMap<>(main);
      exits.forEach(all::putIfAbsent);
      References refs = new References(params, all, visible, true, task.name(), task.fansOut());
      checkTask(task, "spec.onExit[" + i + "]", refs, problems);
    }
  }

  /** A DagTask alone: its names and the syntax of its templates and condition. */
  static void checkDagTask(DagTaskSpec spec, List<Problem> problems) {
    checkNames(spec.outputs(), spec.env(), "spec", problems);
    for (int k = 0; k < spec.env().size(); k++) {
      syntax(spec.env().get(k).value(), "spec.env[" + k + "].value", problems);
    }
    if (spec.command() != null) {
      for (int k = 0; k < spec.command().size(); k++) {
        syntax(spec.command().get(k), "spec.command[" + k + "]", problems);
      }
    }
    for (int k = 0; k < spec.args().size(); k++) {
      syntax(spec.args().get(k), "spec.args[" + k + "]", problems);
    }
    syntax(spec.script(), "spec.script", problems);
    if (spec.when() != null) {
      String error = Condition.compile(spec.when()).error();
      if (error != null) {
        problems.add(new Problem("spec.when", "bad condition: " + error));
      }
    }
  }

  private static void checkTask(TaskSpec task, String at, References refs, List<Problem> problems) {
    checkNames(task.outputs(), task.env(), at, problems);
    if (task.command() != null) {
      for (int k = 0; k < task.command().size(); k++) {
        template(task.command().get(k), at + ".command[" + k + "]", refs, problems);
      }
    }
    for (int k = 0; k < task.args().size(); k++) {
      template(task.args().get(k), at + ".args[" + k + "]", refs, problems);
    }
    template(task.script(), at + ".script", refs, problems);
    for (int k = 0; k < task.env().size(); k++) {
      template(task.env().get(k).value(), at + ".env[" + k + "].value", refs, problems);
    }
    if (task.when() != null) {
      condition(task.when(), at + ".when", refs, problems);
    }
    fanOut(task, at, refs.withoutItem(), problems);
    if (task.runsDag()) {
      List<DagRef.Parameter> parameters = task.dagRef().parameters();
      for (int k = 0; k < parameters.size(); k++) {
        String path = at + ".dagRef.parameters[" + k + "]";
        if (parameters.get(k).name().isBlank()) {
          problems.add(new Problem(path + ".name", "empty parameter name"));
        }
        template(parameters.get(k).value(), path + ".value", refs.withoutItem(), problems);
      }
    }
  }

  /** {@code forEach}: a list, or a template (whose references are checked); parallelism >= 1. */
  private static void fanOut(TaskSpec task, String at, References refs, List<Problem> problems) {
    if (task.parallelism() != null && task.parallelism() < 1) {
      problems.add(
          new Problem(
              at + ".parallelism",
              "expected at least 1 instance at once, but got " + task.parallelism()));
    }
    if (task.parallelism() != null && !task.fansOut()) {
      problems.add(new Problem(at + ".parallelism", "parallelism needs a forEach"));
    }
    if (!task.fansOut() || task.forEachItems() != null) {
      return;
    }
    if (task.forEachTemplate() == null) {
      problems.add(
          new Problem(
              at + ".forEach",
              "expected a literal list or a template that yields a JSON list, but got "
                  + task.forEach()));
      return;
    }
    String text = task.forEachTemplate();
    Template template = Template.parse(text);
    if (template.error() != null || template.references().isEmpty()) {
      problems.add(
          new Problem(
              at + ".forEach",
              "expected a literal list or a template that yields a JSON list, but got '"
                  + text
                  + "'"
                  + (template.error() != null ? ": bad template: " + template.error() : "")));
      return;
    }
    template(text, at + ".forEach", refs, problems);
  }

  private static void checkNames(
      List<String> outputs, List<TaskEnv> env, String at, List<Problem> problems) {
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < outputs.size(); k++) {
      String name = outputs.get(k);
      if (!OUTPUT_NAME.matcher(name).matches() || name.contains("..")) {
        problems.add(
            new Problem(
                at + ".outputs[" + k + "]",
                "expected an output name of at most 63 letters, digits, '_', '-' or '.', starting"
                    + " with a letter or '_' (it names a file), but got '"
                    + name
                    + "'"));
      } else if (!seen.add(name)) {
        problems.add(new Problem(at + ".outputs[" + k + "]", "duplicate output '" + name + "'"));
      }
    }
    Set<String> envSeen = new HashSet<>();
    for (int k = 0; k < env.size(); k++) {
      String name = env.get(k).name();
      if (!ENV_NAME.matcher(name).matches()) {
        problems.add(
            new Problem(
                at + ".env[" + k + "].name",
                "expected an environment variable name (letters, digits and '_', not starting"
                    + " with a digit), but got '"
                    + name
                    + "'"));
      } else if (name.startsWith("KONTROLER_")) {
        problems.add(
            new Problem(
                at + ".env[" + k + "].name",
                "names starting with KONTROLER_ are set by Kontroler, but got '" + name + "'"));
      } else if (!envSeen.add(name)) {
        problems.add(new Problem(at + ".env[" + k + "].name", "duplicate variable '" + name + "'"));
      }
    }
  }

  private static void template(String text, String at, References refs, List<Problem> problems) {
    if (text == null) {
      return;
    }
    Template template = Template.parse(text);
    if (template.error() != null) {
      problems.add(new Problem(at, "bad template: " + template.error()));
      return;
    }
    for (String reference : template.references()) {
      String error = refs.checkTemplate(reference);
      if (error != null) {
        problems.add(new Problem(at, "{{ " + reference + " }}: " + error));
      }
    }
  }

  private static void syntax(String text, String at, List<Problem> problems) {
    if (text != null && Template.parse(text).error() != null) {
      problems.add(new Problem(at, "bad template: " + Template.parse(text).error()));
    }
  }

  private static void condition(String source, String at, References refs, List<Problem> problems) {
    Condition condition = Condition.compile(source);
    if (condition.error() != null) {
      problems.add(new Problem(at, "bad condition: " + condition.error()));
      return;
    }
    for (List<String> path : condition.paths()) {
      String error = refs.checkCondition(path);
      if (error != null) {
        problems.add(new Problem(at, String.join(".", path) + ": " + error));
      }
    }
  }

  private static Map<String, TaskSpec> byName(List<TaskSpec> tasks) {
    Map<String, TaskSpec> map = new HashMap<>();
    tasks.forEach(t -> map.putIfAbsent(t.name(), t));
    return map;
  }

  /** The tasks {@code task} runs after, directly or not, within {@code group}. */
  private static Set<String> upstream(TaskSpec task, Map<String, TaskSpec> group) {
    Set<String> seen = new HashSet<>();
    Deque<String> queue = new ArrayDeque<>(task.runAfter());
    while (!queue.isEmpty()) {
      String name = queue.poll();
      TaskSpec up = group.get(name);
      if (up != null && seen.add(name)) {
        queue.addAll(up.runAfter());
      }
    }
    seen.remove(task.name());
    return seen;
  }
}

package io.kontroler.core.run;

import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.lang.Condition;
import io.kontroler.core.lang.Template;
import io.kontroler.core.parse.JsonText;
import java.util.HashMap;
import java.util.Map;

/**
 * The values a task's templates and {@code when} read from its run: parameters, the run's id, name,
 * logical date (and, for exit tasks, {@code run.phase}), the DAG's name, namespace and version, and
 * the recorded outputs and phases of the tasks they name. Only the tasks a reference names are
 * read, so building a launch costs what its text references, not the size of the run.
 */
final class RunValues {
  private final DagPlan plan;
  private final RunState run;
  private final TaskStates tasks;
  private final Object item;

  RunValues(DagPlan plan, RunState run, TaskStates tasks) {
    this(plan, run, tasks, null);
  }

  /**
   * The values of an instance of a {@code forEach} task, whose {@code {{ item }}} is {@code item}.
   */
  RunValues(DagPlan plan, RunState run, TaskStates tasks, Object item) {
    this.plan = plan;
    this.run = run;
    this.tasks = tasks;
    this.item = item;
  }

  /** {@code text} with its {@code {{ … }}} references replaced; null stays null. */
  String render(String text) {
    return Template.render(text, this::value);
  }

  /**
   * The value of one reference ({@code params.day}, {@code tasks.list.outputs.count}); empty for a
   * reference validation would have refused, and for an output a task did not write.
   */
  String value(String reference) {
    String[] path = reference.split("\\.", -1);
    switch (path[0]) {
      case "params":
        return path.length == 2 ? literal(run.parameters().get(path[1])) : "";
      case "run":
        return path.length == 2 ? runField(path[1]) : "";
      case "dag":
        return path.length == 2 ? dagField(path[1]) : "";
      case "tasks":
        if (path.length == 4 && path[2].equals("outputs")) {
          TaskState t = tasks.get(path[1]);
          return t == null ? "" : t.outputs().getOrDefault(path[3], "");
        }
        return "";
      case "item":
        return item(path);
      default:
        return "";
    }
  }

  /** {@code {{ item }}}: the item (a string as it is, other values as JSON); {@code item.KEY}. */
  private String item(String[] path) {
    if (item == null) {
      return "";
    }
    if (path.length == 1) {
      return JsonText.itemText(item);
    }
    if (path.length == 2 && item instanceof Map<?, ?> fields && fields.containsKey(path[1])) {
      return JsonText.itemText(fields.get(path[1]));
    }
    return "";
  }

  /** The variables of {@code condition}: every task it names, with its outputs and phase. */
  Map<String, Object> variables(Condition condition) {
    Map<String, Object> taskValues = new HashMap<>();
    for (String name : condition.tasks()) {
      TaskState t = tasks.get(name);
      if (t != null && plan.indexOf(name) >= 0) {
        taskValues.put(name, Map.of("outputs", t.outputs(), "phase", t.phase().name()));
      }
    }
    Map<String, String> params = new HashMap<>();
    run.parameters()
        .forEach(
            (k, v) -> {
              if (v instanceof ParameterValue.Literal l) {
                params.put(k, l.value());
              }
            });
    Map<String, String> runValues = new HashMap<>();
    for (String field : new String[] {"id", "name", "logicalDate", "phase"}) {
      runValues.put(field, runField(field));
    }
    Map<String, String> dagValues = new HashMap<>();
    for (String field : new String[] {"name", "namespace", "version"}) {
      dagValues.put(field, dagField(field));
    }
    return Map.of("params", params, "run", runValues, "dag", dagValues, "tasks", taskValues);
  }

  private String runField(String field) {
    return switch (field) {
      case "id" -> run.runId();
      case "name" -> run.runName() == null ? "" : run.runName();
      case "logicalDate" ->
          run.logicalDateOrRequest() == null ? "" : run.logicalDateOrRequest().toString();
      case "phase" -> run.mainOutcome() == null ? "" : run.mainOutcome().name();
      default -> "";
    };
  }

  private String dagField(String field) {
    String dag = run.dag() == null ? "" : run.dag();
    int slash = dag.indexOf('/');
    return switch (field) {
      case "name" -> slash < 0 ? dag : dag.substring(slash + 1);
      case "namespace" -> slash < 0 ? "" : dag.substring(0, slash);
      case "version" -> Integer.toString(run.dagVersion());
      default -> "";
    };
  }

  private static String literal(ParameterValue value) {
    return value instanceof ParameterValue.Literal l ? l.value() : "";
  }
}

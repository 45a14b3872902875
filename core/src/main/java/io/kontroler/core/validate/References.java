package io.kontroler.core.validate;

import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.TaskSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one task's templates and condition may reference: the DAG's declared parameters (not those
 * from Secrets), the run's and the DAG's fields, and the declared outputs (and, in a condition, the
 * phase) of its upstream tasks. Each check returns why a reference is refused, or null.
 */
final class References {
  private static final Set<String> RUN_FIELDS = Set.of("id", "name", "logicalDate");
  private static final Set<String> DAG_FIELDS = Set.of("name", "namespace", "version");

  private final Map<String, ParameterSpec> params;
  private final Map<String, TaskSpec> tasks;
  private final Set<String> upstream;
  private final boolean exit;
  private final String self;
  private final boolean item;

  References(
      Map<String, ParameterSpec> params,
      Map<String, TaskSpec> tasks,
      Set<String> upstream,
      boolean exit,
      String self,
      boolean item) {
    this.params = params;
    this.tasks = tasks;
    this.upstream = upstream;
    this.exit = exit;
    this.self = self;
    this.item = item;
  }

  /** The same references without {@code {{ item }}}: what a forEach template itself may read. */
  References withoutItem() {
    return new References(params, tasks, upstream, exit, self, false);
  }

  /** A template reference such as {@code params.day} or {@code tasks.list.outputs.count}. */
  String checkTemplate(String reference) {
    String[] path = reference.split("\\.", -1);
    return switch (path[0]) {
      case "params" -> path.length == 2 ? param(path[1], true) : "expected {{ params.NAME }}";
      case "run" -> path.length == 2 ? runField(path[1]) : "expected {{ run.FIELD }}";
      case "dag" -> path.length == 2 ? dagField(path[1]) : "expected {{ dag.FIELD }}";
      case "tasks" ->
          path.length == 4 && path[2].equals("outputs")
              ? output(path[1], path[3])
              : "expected {{ tasks.TASK.outputs.NAME }}";
      case "item" ->
          !item
              ? "{{ item }} is only defined in the command, args, script and env of a forEach task"
              : path.length <= 2 ? null : "expected {{ item }} or {{ item.KEY }}";
      default -> unknownRoot(path[0]);
    };
  }

  /** A field path a condition reads, such as {@code [tasks, check, outputs, status]}. */
  String checkCondition(List<String> path) {
    String root = path.get(0);
    String first = path.size() > 1 ? path.get(1) : null;
    return switch (root) {
      case "params" -> param(first, false);
      case "run" -> runField(first);
      case "dag" -> dagField(first);
      case "tasks" -> taskPath(path);
      default -> null; // a variable of a comprehension, or one the type checker refused already
    };
  }

  private String param(String name, boolean template) {
    ParameterSpec spec = params.get(name);
    if (spec == null) {
      return "parameter '" + name + "' is not declared in spec.parameters";
    }
    if (spec.isSecret()) {
      return "parameter '"
          + name
          + "' comes from a Secret and can not be "
          + (template ? "templated into text" : "read by a condition")
          + " (it would leave the Secret): use it through the environment instead (list it in"
          + " the task's parameters and read $"
          + name
          + ")";
    }
    return null;
  }

  private String runField(String field) {
    if (RUN_FIELDS.contains(field)) {
      return null;
    }
    if ("phase".equals(field)) {
      return exit ? null : "run.phase is only defined in an onExit task";
    }
    return "unknown run field '"
        + field
        + "' (known: id, name, logicalDate, and phase in onExit tasks)";
  }

  private String dagField(String field) {
    return DAG_FIELDS.contains(field)
        ? null
        : "unknown dag field '" + field + "' (known: name, namespace, version)";
  }

  private String taskPath(List<String> path) {
    if (path.size() < 3) {
      return null; // the whole task, as a map: its fields are checked where they are read
    }
    String field = path.get(2);
    if (field.equals("outputs")) {
      return path.size() >= 4 ? output(path.get(1), path.get(3)) : visible(path.get(1));
    }
    if (field.equals("phase")) {
      return visible(path.get(1));
    }
    return "expected tasks." + path.get(1) + ".outputs or tasks." + path.get(1) + ".phase";
  }

  private String output(String task, String name) {
    String problem = visible(task);
    if (problem != null) {
      return problem;
    }
    List<String> declared = tasks.get(task).outputs();
    return declared.contains(name)
        ? null
        : "task '"
            + task
            + "' does not declare output '"
            + name
            + "' (it declares "
            + declared
            + ")";
  }

  private String visible(String task) {
    if (!tasks.containsKey(task)) {
      return "unknown task '" + task + "'";
    }
    if (!upstream.contains(task)) {
      return "task '"
          + task
          + "' is not upstream of task '"
          + self
          + "' (list it in runAfter, directly or through other tasks)";
    }
    return null;
  }

  private static String unknownRoot(String root) {
    return "unknown reference '"
        + root
        + "' (known: params.NAME, run.id, run.name, run.logicalDate, dag.name, dag.namespace,"
        + " dag.version, tasks.TASK.outputs.NAME)";
  }
}

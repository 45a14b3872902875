package io.kontroler.core.lang;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A task's {@code when}: a CEL expression (Common Expression Language) over {@code params}, {@code
 * run}, {@code dag} (maps of strings) and {@code tasks} ({@code tasks.T.outputs.O}, {@code
 * tasks.T.phase}), type-checked to a bool when compiled. Compiled once per DAG version and
 * evaluated many times; evaluation is pure.
 */
public final class Condition {
  /** The variables a condition may read. */
  public static final List<String> VARIABLES = List.of("params", "run", "dag", "tasks");

  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .addVar("params", MapType.create(SimpleType.STRING, SimpleType.STRING))
          .addVar("run", MapType.create(SimpleType.STRING, SimpleType.STRING))
          .addVar("dag", MapType.create(SimpleType.STRING, SimpleType.STRING))
          .addVar("tasks", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .build();

  private final String source;
  private final CelRuntime.Program program;
  private final List<List<String>> paths;
  private final String error;

  private Condition(
      String source, CelRuntime.Program program, List<List<String>> paths, String error) {
    this.source = source;
    this.program = program;
    this.paths = paths;
    this.error = error;
  }

  /**
   * Compiles and type-checks {@code source}; a syntax or type error is kept as {@link #error()}.
   */
  public static Condition compile(String source) {
    try {
      CelAbstractSyntaxTree ast = CEL.compile(source).getAst();
      CelKind kind = ast.getResultType().kind();
      if (kind != CelKind.BOOL && kind != CelKind.DYN) {
        return new Condition(
            source,
            null,
            List.of(),
            "expected a condition that is true or false, but it is of type "
                + ast.getResultType().name());
      }
      return new Condition(source, CEL.createProgram(ast), paths(ast), null);
    } catch (CelValidationException e) {
      return new Condition(source, null, List.of(), oneLine(e.getMessage()));
    } catch (dev.cel.common.CelException e) {
      return new Condition(source, null, List.of(), oneLine(e.getMessage()));
    }
  }

  public String source() {
    return source;
  }

  /** The syntax or type error, or null when the condition compiled. */
  public String error() {
    return error;
  }

  /**
   * The dotted field paths the condition reads from its variables, longest first in each chain:
   * {@code tasks.check.outputs.status} as {@code [tasks, check, outputs, status]}, {@code
   * params.env} as {@code [params, env]}. Index forms ({@code params['env']}) are not listed.
   */
  public List<List<String>> paths() {
    return paths;
  }

  /** The names of the tasks the condition reads ({@code tasks.T…}). */
  public List<String> tasks() {
    List<String> names = new ArrayList<>();
    for (List<String> path : paths) {
      if (path.size() > 1 && path.get(0).equals("tasks") && !names.contains(path.get(1))) {
        names.add(path.get(1));
      }
    }
    return names;
  }

  /**
   * Evaluates the condition over {@code variables} (each of {@link #VARIABLES}, maps of strings,
   * {@code tasks} a map of task name to {@code {outputs: {…}, phase: "…"}}).
   */
  public Result evaluate(Map<String, Object> variables) {
    if (error != null) {
      return new Result(false, error);
    }
    try {
      Object value = program.eval(variables);
      if (value instanceof Boolean b) {
        return new Result(b, null);
      }
      return new Result(false, "expected true or false, but got " + value);
    } catch (CelEvaluationException e) {
      return new Result(false, oneLine(e.getMessage()));
    }
  }

  /** The value of a condition, or the error that kept it from having one. */
  public record Result(boolean value, String error) {
    public boolean failed() {
      return error != null;
    }
  }

  private static List<List<String>> paths(CelAbstractSyntaxTree ast) {
    List<List<String>> result = new ArrayList<>();
    CelNavigableAst.fromAst(ast)
        .getRoot()
        .allNodes()
        .forEach(
            node -> {
              boolean chainEnd =
                  node.parent()
                      .map(p -> p.expr().getKind() != CelExpr.ExprKind.Kind.SELECT)
                      .orElse(true);
              if (node.expr().getKind() == CelExpr.ExprKind.Kind.SELECT && chainEnd) {
                List<String> path = path(node);
                if (!path.isEmpty()) {
                  result.add(path);
                }
              }
            });
    return result;
  }

  /** The path of a chain of field selections down to a variable, or empty for another root. */
  private static List<String> path(CelNavigableExpr node) {
    List<String> reversed = new ArrayList<>();
    CelExpr expr = node.expr();
    while (expr.getKind() == CelExpr.ExprKind.Kind.SELECT) {
      reversed.add(expr.select().field());
      expr = expr.select().operand();
    }
    if (expr.getKind() != CelExpr.ExprKind.Kind.IDENT) {
      return List.of();
    }
    reversed.add(expr.ident().name());
    List<String> path = new ArrayList<>(reversed.size());
    for (int k = reversed.size() - 1; k >= 0; k--) {
      path.add(reversed.get(k));
    }
    return List.copyOf(path);
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    String first = message.replace("ERROR: <input>:", "at ").strip();
    int nl = first.indexOf('\n');
    return nl < 0 ? first : first.substring(0, nl);
  }
}

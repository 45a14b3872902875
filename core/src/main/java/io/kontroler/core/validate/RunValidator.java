package io.kontroler.core.validate;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.RunParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks a run request's parameters against its DAG and resolves them. */
public final class RunValidator {
  private RunValidator() {}

  /**
   * DagRun-style overrides, each {@code value} or {@code fromSecret}, at {@code spec.parameters}.
   */
  public static List<Problem> checkOverrides(List<RunParameter> overrides) {
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < overrides.size(); i++) {
      RunParameter p = overrides.get(i);
      String at = "spec.parameters[" + i + "]";
      if (DagValidator.blank(p.name())) {
        problems.add(new Problem(at + ".name", "empty parameter name"));
      }
      if ((p.value() == null) == (p.fromSecret() == null)) {
        problems.add(
            new Problem(
                at,
                "parameter '"
                    + p.name()
                    + "' needs exactly one of value or fromSecret, but has "
                    + (p.value() == null ? "neither" : "both")));
      }
    }
    return problems;
  }

  /**
   * The run's parameter values: the DAG's defaults with {@code overrides} applied. Overriding a
   * parameter the DAG does not declare is a problem, at {@code basePath[name]}.
   */
  public static Validated<Map<String, ParameterValue>> resolve(
      String dagName, DagSpec dag, Map<String, ParameterValue> overrides, String basePath) {
    Map<String, ParameterValue> values = new LinkedHashMap<>();
    for (ParameterSpec p : dag.parameters()) {
      values.put(p.name(), p.defaultAsValue());
    }
    List<Problem> problems = new ArrayList<>();
    Set<String> declared = values.keySet().stream().collect(Collectors.toSet());
    overrides.forEach(
        (name, value) -> {
          if (!declared.contains(name)) {
            problems.add(
                new Problem(
                    basePath + "[" + name + "]",
                    "DAG '"
                        + dagName
                        + "' declares no parameter '"
                        + name
                        + "'"
                        + (declared.isEmpty() ? "" : " (it declares " + sorted(declared) + ")")));
          } else {
            values.put(name, value);
          }
        });
    return new Validated<>(values, problems);
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}

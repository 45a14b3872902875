package io.kontroler.core.validate;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.ParameterSpec;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.dag.RunParameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a run request's parameters against its DAG and resolves them. Parameters travel in every
 * launch of the run and in its state, so they are bounded: {@value #MAX_PARAMETER_BYTES} bytes of
 * UTF-8 for each value, {@value #MAX_PARAMETERS_BYTES} for names and values all together; a run
 * name has at most {@value #MAX_RUN_NAME_CHARS} characters.
 */
public final class RunValidator {
  /** The most bytes (UTF-8) of one parameter value. */
  public static final int MAX_PARAMETER_BYTES = 32 * 1024;

  /** The most bytes (UTF-8) of a run's parameter names and values all together. */
  public static final int MAX_PARAMETERS_BYTES = 128 * 1024;

  /** The most characters of a run name (a Kubernetes object name's limit). */
  public static final int MAX_RUN_NAME_CHARS = 253;

  private RunValidator() {}

  /** A problem at {@code path} when {@code runName} is longer than the limit. */
  public static List<Problem> checkRunName(String runName, String path) {
    if (runName == null || runName.length() <= MAX_RUN_NAME_CHARS) {
      return List.of();
    }
    return List.of(
        new Problem(
            path,
            "run name of "
                + runName.length()
                + " characters is over the limit of "
                + MAX_RUN_NAME_CHARS));
  }

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
      if (p.value() != null && bytes(p.value()) > MAX_PARAMETER_BYTES) {
        problems.add(tooLarge(at + ".value", bytes(p.value()), MAX_PARAMETER_BYTES));
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
    problems.addAll(checkSizes(values, basePath));
    return new Validated<>(values, problems);
  }

  /** Problems with the size of each literal value and of all parameters together. */
  static List<Problem> checkSizes(Map<String, ParameterValue> values, String basePath) {
    List<Problem> problems = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, ParameterValue> e : values.entrySet()) {
      int size =
          e.getValue() instanceof ParameterValue.Literal l
              ? bytes(l.value())
              : bytes(((ParameterValue.FromSecret) e.getValue()).secretName());
      if (e.getValue() instanceof ParameterValue.Literal && size > MAX_PARAMETER_BYTES) {
        problems.add(tooLarge(basePath + "[" + e.getKey() + "]", size, MAX_PARAMETER_BYTES));
      }
      total += size + bytes(e.getKey());
    }
    if (total > MAX_PARAMETERS_BYTES) {
      problems.add(
          new Problem(
              basePath,
              "parameters of "
                  + total
                  + " bytes all together are over the limit of "
                  + MAX_PARAMETERS_BYTES
                  + " bytes"));
    }
    return problems;
  }

  private static Problem tooLarge(String path, long size, int limit) {
    return new Problem(
        path, "value of " + size + " bytes is over the limit of " + limit + " bytes");
  }

  private static int bytes(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}

package io.kontroler.core.dag;

/** A parameter override of a DagRun: {@code value} or {@code fromSecret}, exactly one. */
public record RunParameter(String name, String value, String fromSecret) {
  public RunParameter {
    name = name == null ? "" : name;
  }

  public ParameterValue asValue() {
    return fromSecret != null
        ? new ParameterValue.FromSecret(fromSecret)
        : new ParameterValue.Literal(value);
  }
}

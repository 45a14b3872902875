package io.kontroler.core.dag;

/**
 * A DAG parameter with a default: a literal ({@code defaultValue}) or a reference to a Kubernetes
 * Secret ({@code defaultFromSecret}). Exactly one is set in a valid DAG; the secret's value never
 * enters Kontroler, only its name.
 */
public record ParameterSpec(String name, String defaultValue, String defaultFromSecret) {
  public ParameterSpec {
    name = name == null ? "" : name;
  }

  public boolean isSecret() {
    return defaultFromSecret != null;
  }

  public ParameterValue defaultAsValue() {
    return isSecret()
        ? new ParameterValue.FromSecret(defaultFromSecret)
        : new ParameterValue.Literal(defaultValue == null ? "" : defaultValue);
  }
}

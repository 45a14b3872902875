package io.kontroler.core.run;

/**
 * An environment variable of a task: a literal {@code value}, or a reference to the key {@code
 * name} of the Secret {@code secretName}. The secret's value is never carried.
 */
public record EnvVar(String name, String value, String secretName) {
  public static EnvVar literal(String name, String value) {
    return new EnvVar(name, value, null);
  }

  public static EnvVar fromSecret(String name, String secretName) {
    return new EnvVar(name, null, secretName);
  }

  public boolean isSecret() {
    return secretName != null;
  }
}

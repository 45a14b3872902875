package io.kontroler.core.dag;

/**
 * The value of a parameter in a run: a literal, or the name of a Secret that holds it (the key
 * inside the Secret is the parameter's name). Secret values never travel, only the reference.
 */
public sealed interface ParameterValue {

  record Literal(String value) implements ParameterValue {
    public Literal {
      value = value == null ? "" : value;
    }
  }

  record FromSecret(String secretName) implements ParameterValue {
    public FromSecret {
      secretName = secretName == null ? "" : secretName;
    }
  }

  /** A display form that never reveals a secret: the literal, or {@code secret:<name>}. */
  default String display() {
    if (this instanceof FromSecret s) {
      return "secret:" + s.secretName();
    }
    return ((Literal) this).value();
  }
}

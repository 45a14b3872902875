package io.kontroler.core.validate;

import io.kontroler.core.dag.Metadata;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names Kubernetes accepts, checked where Kontroler takes a name that ends up in a resource:
 * namespaces and task names are DNS-1123 labels (they become parts of Job names and label values),
 * DAG, DagTask, DagRun and WorkFlow names DNS-1123 subdomains, parameter names environment variable
 * names (a task receives each parameter as one).
 */
final class Names {
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern LABEL_PATTERN = Pattern.compile(LABEL);
  private static final Pattern SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final int LABEL_MAX = 63;
  static final int SUBDOMAIN_MAX = 253;

  private Names() {}

  /** The resource's name (a subdomain) and namespace (a label), at {@code metadata.*}. */
  static void checkMetadata(String kind, Metadata meta, List<Problem> problems) {
    checkResourceName(kind, meta.name(), problems);
    if (!isLabel(meta.namespace())) {
      problems.add(
          new Problem(
              "metadata.namespace",
              "expected a namespace that is a DNS-1123 label ("
                  + labelRule()
                  + "), but got '"
                  + meta.namespace()
                  + "'"));
    }
  }

  static void checkResourceName(String kind, String name, List<Problem> problems) {
    if (name == null || name.isEmpty()) {
      problems.add(new Problem("metadata.name", kind + " has no name"));
    } else if (!isSubdomain(name)) {
      problems.add(
          new Problem(
              "metadata.name",
              "expected a lowercase DNS-1123 name (at most "
                  + SUBDOMAIN_MAX
                  + " of a-z, 0-9, '-', '.'), but got '"
                  + name
                  + "'"));
    }
  }

  /**
   * A task (or WorkFlow step) name at {@code path}: a DNS-1123 label. An empty name is left to the
   * graph check, which reports it once.
   */
  static void checkTaskName(String path, String name, List<Problem> problems) {
    if (name != null && !name.isEmpty() && !isLabel(name)) {
      problems.add(
          new Problem(
              path,
              "expected a task name that is a DNS-1123 label ("
                  + labelRule()
                  + "), but got '"
                  + name
                  + "'"));
    }
  }

  /** A parameter name at {@code path}: an environment variable name. Empty is reported apart. */
  static void checkParameterName(String path, String name, List<Problem> problems) {
    if (name != null && !name.isBlank() && !ENV_NAME.matcher(name).matches()) {
      problems.add(
          new Problem(
              path,
              "expected a parameter name usable as an environment variable ([A-Za-z_] then"
                  + " [A-Za-z0-9_]*), but got '"
                  + name
                  + "'"));
    }
  }

  static boolean isLabel(String name) {
    return name != null && name.length() <= LABEL_MAX && LABEL_PATTERN.matcher(name).matches();
  }

  static boolean isSubdomain(String name) {
    return name != null && name.length() <= SUBDOMAIN_MAX && SUBDOMAIN.matcher(name).matches();
  }

  private static String labelRule() {
    return "at most "
        + LABEL_MAX
        + " of a-z, 0-9 and '-', starting and ending with a letter or digit";
  }
}

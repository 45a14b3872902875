package io.kontroler.core.validate;

import java.util.List;
import java.util.regex.Pattern;

/** Kubernetes object names (DNS-1123 subdomains), checked where a resource is named. */
final class Names {
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Names() {}

  static void checkResourceName(String kind, String name, List<Problem> problems) {
    if (name == null || name.isEmpty()) {
      problems.add(new Problem("metadata.name", kind + " has no name"));
    } else if (name.length() > 253 || !SUBDOMAIN.matcher(name).matches()) {
      problems.add(
          new Problem(
              "metadata.name",
              "expected a lowercase DNS-1123 name (a-z, 0-9, '-', '.'), but got '" + name + "'"));
    }
  }
}

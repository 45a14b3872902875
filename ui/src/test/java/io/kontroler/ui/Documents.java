package io.kontroler.ui;

/** DAG documents for the browser tests, in YAML as people write it. */
final class Documents {
  private Documents() {}

  static String dagYaml(String name, String tasks) {
    return "apiVersion: kontroler.greedykomodo/v1alpha1\n"
        + "kind: DAG\n"
        + "metadata:\n"
        + "  name: "
        + name
        + "\n"
        + "spec:\n"
        + "  parameters:\n"
        + "    - name: greeting\n"
        + "      defaultValue: hello\n"
        + "    - name: token\n"
        + "      defaultFromSecret: api-token\n"
        + "  task:\n"
        + tasks;
  }

  /** A task in YAML; {@code runAfter} in flow style, as people write it. */
  static String task(String name, String... runAfter) {
    return "    - name: "
        + name
        + "\n      image: alpine:3.20\n      command: [\"sh\", \"-c\", \"echo "
        + name
        + "\"]\n"
        + (runAfter.length == 0 ? "" : "      runAfter: [" + String.join(", ", runAfter) + "]\n");
  }

  static String diamondTasks() {
    return task("a")
        + task("left", "a")
        + task("right", "a")
        + "      podTemplate:\n        nodeSelector:\n          disktype: ssd\n"
        + task("join", "left", "right");
  }
}

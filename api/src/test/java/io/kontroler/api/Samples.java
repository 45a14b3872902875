package io.kontroler.api;

/** Documents used across the api tests. */
final class Samples {
  private Samples() {}

  /** A diamond: a, then b and c, then d; parameters with a literal and a secret default. */
  static String diamond(String name, String webhookUrl) {
    return """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata:
          name: %s
        spec:
          parameters:
            - name: greeting
              defaultValue: hello
            - name: token
              defaultFromSecret: api-token
        %s
          task:
            - name: a
              image: alpine:3.20
              command: [sh, -c, "echo a"]
            - name: b
              image: alpine:3.20
              command: [echo, b]
              runAfter: [a]
              parameters: [greeting]
            - name: c
              image: alpine:3.20
              command: [echo, c]
              runAfter: [a]
              parameters: [token]
            - name: d
              image: alpine:3.20
              command: [echo, d]
              runAfter: [b, c]
        """
        .formatted(
            name,
            webhookUrl == null
                ? ""
                : "  webhook:\n    url: " + webhookUrl + "\n    verifySSL: true\n");
  }

  static String diamond(String name) {
    return diamond(name, null);
  }

  static final String DAG_TASK_AND_REF =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DagTask
      metadata:
        name: shared-echo
      spec:
        image: busybox
        command: [echo, shared]
      ---
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata:
        name: uses-ref
      spec:
        task:
          - name: first
            taskRef:
              name: shared-echo
              version: 1
          - name: second
            image: busybox
            command: [echo, two]
            runAfter: [first]
      """;

  static final String INVALID =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata:
        name: broken
      spec:
        schedule: "99 * * * *"
        task:
          - name: x
            image: alpine
            command: [echo]
            runAfter: [y]
          - name: y
            image: alpine
            command: [echo]
            runAfter: [x]
      """;
}

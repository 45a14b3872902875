package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Applying a DAG whose pod could step out of its namespace is refused with the offending path. */
class PodPolicyApiTest extends ApiTestBase {
  static final String HOST_PATH_DAG =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata: {name: mounter, namespace: team-a}
      spec:
        task:
          - name: read-host
            image: alpine
            command: [ls, /host]
            podTemplate:
              volumes:
                - {name: scratch, emptyDir: {}}
                - {name: host, hostPath: {path: /}}
      """;

  PodPolicyApiTest() {
    super(Db.SQLITE);
  }

  @Test
  void aHostPathDagIsRefusedWithThePathAndNothingIsPublished() {
    HttpResponse<String> r = http.post("/api/v1/dags", admin, HOST_PATH_DAG, "application/yaml");

    assertThat(r.statusCode()).isEqualTo(400);
    List<String> paths = new ArrayList<>();
    Http.json(r).get("errors").forEach(e -> paths.add(e.get("path").asText()));
    assertThat(paths).containsExactly("spec.task[0].podTemplate.volumes[1].hostPath");
    assertThat(r.body()).contains("policy.pod.allow-host-path=true");
    assertThat(publisher.catalog).isEmpty();
  }

  @Test
  void aSlashInTheNamespaceIsRefused() {
    HttpResponse<String> r =
        http.post(
            "/api/v1/dags",
            admin,
            Samples.diamond("diamond")
                .replace("  name: diamond\n", "  name: diamond\n  namespace: \"a/b\"\n"),
            "application/yaml");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("metadata.namespace");
    assertThat(publisher.catalog).isEmpty();
  }
}

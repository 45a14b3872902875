package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an admin allows in {@code policy.pod.*} is accepted at apply time. */
class PodPolicyAllowedApiTest extends ApiTestBase {
  PodPolicyAllowedApiTest() {
    super(Db.SQLITE);
  }

  @Override
  ApiConfig config() {
    ApiConfig base = super.config();
    assertThat(base.podPolicy().allowHostPath()).isFalse();
    return base.with(Map.of("policy.pod.allow-host-path", "true"));
  }

  @Test
  void aHostPathDagIsAccepted() {
    HttpResponse<String> r =
        http.post("/api/v1/dags", admin, PodPolicyApiTest.HOST_PATH_DAG, "application/yaml");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(publisher.catalog).hasSize(1);
  }
}

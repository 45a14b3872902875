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
    return ApiConfig.fromFlat(
            Map.of("api.data.dir", dir.toString(), "policy.pod.allow-host-path", "true"))
        .withPort(0)
        .withDatabase(base.databaseUrl(), null, null)
        .withLimits(64 * 1024, 1000, ADMIN_PASSWORD, base.webhookInitialBackoff())
        .withWebhooks(3, base.webhookInitialBackoff(), base.webhookTimeout());
  }

  @Test
  void aHostPathDagIsAccepted() {
    HttpResponse<String> r =
        http.post("/api/v1/dags", admin, PodPolicyApiTest.HOST_PATH_DAG, "application/yaml");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(publisher.catalog).hasSize(1);
  }
}

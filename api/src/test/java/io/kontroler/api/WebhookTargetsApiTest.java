package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.dag.Webhook;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunPhase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Webhooks can not be aimed inward: no allow-list here, so loopback is refused. */
class WebhookTargetsApiTest extends ApiTestBase {

  WebhookTargetsApiTest() {
    super(Db.SQLITE);
  }

  @Override
  ApiConfig config() {
    return super.config().with(Map.of("api.webhooks.allow-hosts", ""));
  }

  @Test
  void aLiteralInternalAddressOrLocalhostIsRefusedAtApply() {
    for (String url :
        List.of(
            "http://127.0.0.1:9/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://10.1.2.3/hook",
            "http://[::1]:9/hook",
            "http://[fd00::1]/hook",
            "http://0.0.0.0/hook",
            "http://224.0.0.1/hook",
            "http://localhost:9/hook")) {
      HttpResponse<String> r =
          http.post("/api/v1/dags", admin, Samples.diamond("inward", url), "application/yaml");
      assertThat(r.statusCode()).as(url).isEqualTo(400);
      JsonNode error = Http.json(r).get("errors").get(0);
      assertThat(error.get("path").asText()).isEqualTo("spec.webhook.url");
      assertThat(error.get("message").asText()).contains("api.webhooks.allow-hosts");
    }
    assertThat(publisher.commands).isEmpty();
    assertThat(
            http.post(
                    "/api/v1/dags",
                    admin,
                    Samples.diamond("outward", "https://hooks.example.com/kontroler"),
                    "application/yaml")
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void aTargetThatIsLoopbackAtSendTimeIsRefusedAndNothingIsSent() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.http(0)) {
      // a DAG published by another writer (the Kubernetes ingest) is not checked by this api's
      // apply: the sender's check on the resolved address still holds
      String url = receiver.url("http").replace("localhost", "127.0.0.1");
      DagSpec spec =
          new DagSpec(
              "",
              List.of(TaskSpec.of("a", "busybox", List.of("true"), List.of())),
              List.of(),
              new Webhook(url, true),
              null,
              false,
              null,
              null,
              null);
      server.catalog().apply(new Catalog.DagPublished("default/diamond", 1, spec, clock.instant()));
      String id = startRun("diamond", "{}");
      feed(
          List.of(
              new RunPhaseChanged(
                  id,
                  DIAMOND_KEY,
                  1,
                  null,
                  RunPhase.Pending,
                  RunPhase.Running,
                  new PhaseCounts(1, 0, 0, 0, 0, 0, 0, 0),
                  null,
                  clock.instant())));
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                JsonNode d =
                    Http.json(http.get("/api/v1/webhooks/deliveries?run=" + id, admin))
                        .get("items")
                        .get(0);
                assertThat(d.get("status").asText()).isEqualTo("failed");
                assertThat(d.get("attempts").asInt()).isEqualTo(1);
                assertThat(d.get("lastError").asText())
                    .contains("refused")
                    .contains("127.0.0.1 (loopback)");
              });
      assertThat(receiver.requests.get()).isZero();
    }
  }
}

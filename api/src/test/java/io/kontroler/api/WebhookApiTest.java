package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.http.Json;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunPhase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Db.class)
class WebhookApiTest extends ApiTestBase {

  WebhookApiTest(Db db) {
    super(db);
  }

  private String secretOf(String name) {
    return Http.json(http.get("/api/v1/dags/default/" + name + "/webhook-secret", admin))
        .get("secret")
        .asText();
  }

  @Test
  void everyTaskAndRunChangeIsDeliveredSignedAndRetriedOnFailure() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.http(1)) {
      applyOk(Samples.diamond("diamond", receiver.url("http")));
      receiver.secret = secretOf("diamond");
      String id = startRun("diamond", "{}");
      feed(diamondSucceeds(id, clock.instant()));

      await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received.size() == 14);
      assertThat(receiver.received).allMatch(WebhookReceiver.Received::signatureValid);
      assertThat(receiver.requests.get()).isEqualTo(15);
      JsonNode taskEvent =
          receiver.received.stream()
              .map(r -> Json.tree(r.body()))
              .filter(n -> n.get("type").asText().equals("taskrun"))
              .filter(n -> n.path("taskName").asText().equals("d"))
              .filter(n -> n.path("status").asText().equals("success"))
              .findFirst()
              .orElseThrow();
      assertThat(taskEvent.get("dagRunId").asText()).isEqualTo(id);
      assertThat(taskEvent.get("taskId").asText()).isEqualTo(id + "/d");

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonNode deliveries =
                    Http.json(
                            http.get("/api/v1/webhooks/deliveries?run=" + id + "&limit=100", admin))
                        .get("items");
                assertThat(deliveries).hasSize(14);
                assertThat(deliveries).allMatch(d -> d.get("status").asText().equals("delivered"));
                assertThat(deliveries)
                    .anyMatch(
                        d ->
                            d.get("attempts").asInt() == 2
                                && d.path("lastError").asText().equals("HTTP 500"));
              });
    }
  }

  @Test
  void eventsFromARebuildOfOldHistoryAreNotDelivered() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.http(0)) {
      applyOk(Samples.diamond("diamond", receiver.url("http")));
      receiver.secret = secretOf("diamond");
      String old = startRun("diamond", "{}");
      String recent = startRun("diamond", "{}");
      feed(diamondSucceeds(old, clock.instant().minus(Duration.ofDays(2))));
      feed(diamondSucceeds(recent, clock.instant()));
      await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received.size() == 14);
      assertThat(receiver.received).allMatch(r -> r.body().contains(recent));
      assertThat(Http.json(http.get("/api/v1/webhooks/deliveries?run=" + old, admin)).get("items"))
          .isEmpty();
    }
  }

  @Test
  void verifySslIsHonoured() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.https(dir)) {
      applyOk(Samples.diamond("strict", receiver.url("https")));
      applyOk(
          Samples.diamond("lax", receiver.url("https"))
              .replace("verifySSL: true", "verifySSL: false"));
      receiver.secret = secretOf("lax");
      String strictRun = startRun("strict", "{}");
      String laxRun = startRun("lax", "{}");
      PhaseCounts counts = new PhaseCounts(4, 0, 0, 0, 0, 0, 0, 0);
      feed(
          List.of(
              new RunPhaseChanged(
                  strictRun,
                  "default/strict",
                  1,
                  null,
                  RunPhase.Pending,
                  RunPhase.Running,
                  counts,
                  null,
                  clock.instant()),
              new RunPhaseChanged(
                  laxRun,
                  "default/lax",
                  1,
                  null,
                  RunPhase.Pending,
                  RunPhase.Running,
                  counts,
                  null,
                  clock.instant())));

      await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received.size() == 1);
      assertThat(receiver.received.get(0).body()).contains(laxRun);
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                JsonNode strict =
                    Http.json(http.get("/api/v1/webhooks/deliveries?dag=default/strict", admin))
                        .get("items")
                        .get(0);
                assertThat(strict.get("status").asText()).isEqualTo("failed");
                assertThat(strict.get("attempts").asInt()).isEqualTo(3);
                assertThat(strict.get("lastError").asText()).containsIgnoringCase("SSL");
              });
      assertThat(
              Http.json(http.get("/api/v1/webhooks/deliveries?status=delivered", admin))
                  .get("items"))
          .hasSize(1);
    }
  }
}

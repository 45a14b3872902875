package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.auth.Role;
import io.kontroler.api.http.Json;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Db.class)
class WebhookApiTest extends ApiTestBase {

  WebhookApiTest(Db db) {
    super(db);
  }

  @Override
  ApiConfig config() {
    // long enough that a held receiver is still held while the others are served
    return super.config().with(Map.of("api.webhook.timeout", "PT60S"));
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
      JsonNode seenByViewer =
          Http.json(
                  http.get(
                      "/api/v1/webhooks/deliveries?run=" + id + "&limit=100",
                      tokenFor(Role.viewer)))
              .get("items");
      assertThat(seenByViewer).hasSize(14);
      assertThat(seenByViewer).allMatch(d -> !d.has("lastError") && !d.has("responseBody"));
      assertThat(seenByViewer).anyMatch(d -> d.get("attempts").asInt() == 2);
    }
  }

  @Test
  void aFailedAttemptKeepsTheReceiversAnswerForAdmins() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.http(3)) {
      applyOk(Samples.diamond("diamond", receiver.url("http")));
      receiver.secret = secretOf("diamond");
      String id = startRun("diamond", "{}");
      feed(List.of(diamondSucceeds(id, clock.instant()).get(0)));
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                JsonNode d =
                    Http.json(http.get("/api/v1/webhooks/deliveries?run=" + id, admin))
                        .get("items")
                        .get(0);
                assertThat(d.get("status").asText()).isEqualTo("failed");
                assertThat(d.path("responseCode").asInt()).as(d.toString()).isEqualTo(500);
                assertThat(d.path("responseBody").asText())
                    .as(d.toString())
                    .contains("receiver said no (500)");
              });
    }
  }

  @Test
  void aSlowReceiverDelaysNoOtherReceiver() throws Exception {
    try (WebhookReceiver slow = WebhookReceiver.http(0);
        WebhookReceiver fast = WebhookReceiver.http(0)) {
      CountDownLatch release = new CountDownLatch(1);
      slow.hold = release;
      applyOk(Samples.diamond("slow", slow.url("http")));
      applyOk(Samples.diamond("fast", fast.url("http")));
      slow.secret = secretOf("slow");
      fast.secret = secretOf("fast");
      String slowRun = startRun("slow", "{}");
      String fastRun = startRun("fast", "{}");
      feed(
          diamondSucceeds(slowRun, clock.instant()).stream()
              .map(e -> asDag(e, "default/slow"))
              .toList());
      feed(
          diamondSucceeds(fastRun, clock.instant()).stream()
              .map(e -> asDag(e, "default/fast"))
              .toList());

      await().atMost(Duration.ofSeconds(20)).until(() -> fast.received.size() == 14);
      assertThat(fast.received).allMatch(WebhookReceiver.Received::signatureValid);
      assertThat(slow.received).isEmpty();
      assertThat(slow.requests.get()).isEqualTo(1);

      release.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> slow.received.size() == 14);
    }
  }

  private static Notification asDag(Notification e, String dag) {
    if (e instanceof RunPhaseChanged r) {
      return new RunPhaseChanged(
          r.runId(),
          dag,
          r.dagVersion(),
          r.runName(),
          r.from(),
          r.to(),
          r.counts(),
          r.message(),
          r.at());
    }
    var t = (TaskPhaseChanged) e;
    return new TaskPhaseChanged(
        t.runId(),
        dag,
        t.task(),
        t.attempt(),
        t.from(),
        t.to(),
        t.exitCode(),
        t.failureKind(),
        t.message(),
        t.at());
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

package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.http.Json;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.SlaMissed;
import io.kontroler.core.run.RunPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A missed SLA reaches the DAG's webhook (a real receiver over HTTP, checking the signature), is
 * counted in {@code kontroler_sla_missed_total{dag}} and marks the run; the same event twice is
 * delivered and counted once.
 */
@ParameterizedClass
@EnumSource(Db.class)
class SlaWebhookApiTest extends ApiTestBase {

  SlaWebhookApiTest(Db db) {
    super(db);
  }

  @Test
  void anSlaMissIsDeliveredSignedToTheWebhookCountedAndShownOnTheRun() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.http(0)) {
      applyOk(Samples.diamond("diamond", receiver.url("http")));
      receiver.secret =
          Http.json(http.get("/api/v1/dags/default/diamond/webhook-secret", admin))
              .get("secret")
              .asText();
      String id = startRun("diamond", "{}");
      Instant t0 = clock.instant();
      SlaMissed task = new SlaMissed(id, DIAMOND_KEY, "a", 30, t0.plusSeconds(30));
      SlaMissed run = new SlaMissed(id, DIAMOND_KEY, null, 600, t0.plusSeconds(600));
      clock.advance(Duration.ofSeconds(600));

      feed(
          List.of(
              new RunPhaseChanged(
                  id,
                  DIAMOND_KEY,
                  1,
                  null,
                  RunPhase.Pending,
                  RunPhase.Running,
                  new PhaseCounts(4, 0, 0, 0, 0, 0, 0, 0),
                  null,
                  t0),
              task,
              run,
              task));

      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  receiver.received.stream()
                          .filter(r -> Json.tree(r.body()).get("type").asText().equals("slamissed"))
                          .count()
                      == 2);
      assertThat(receiver.received).allMatch(WebhookReceiver.Received::signatureValid);
      List<JsonNode> misses =
          receiver.received.stream()
              .map(r -> Json.tree(r.body()))
              .filter(n -> n.get("type").asText().equals("slamissed"))
              .toList();
      assertThat(misses)
          .extracting(n -> n.path("taskName").asText(null), n -> n.get("seconds").asLong())
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("a", 30L),
              org.assertj.core.groups.Tuple.tuple(null, 600L));
      assertThat(misses).allMatch(n -> n.get("dagRunId").asText().equals(id));
      assertThat(misses).allMatch(n -> n.get("dag").asText().equals(DIAMOND_KEY));

      assertThat(http.get("/metrics", admin).body())
          .contains("kontroler_sla_missed_total{dag=\"" + DIAMOND_KEY + "\"} 2.0");
      assertThat(Http.json(http.get("/api/v1/runs/" + id, admin)).get("slaMissed").asBoolean())
          .isTrue();
      assertThat(
              Http.json(http.get("/api/v1/runs?dag=diamond", admin))
                  .get("items")
                  .get(0)
                  .get("slaMissed")
                  .asBoolean())
          .isTrue();
    }
  }
}

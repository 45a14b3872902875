package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Db.class)
class EventsApiTest extends ApiTestBase {

  EventsApiTest(Db db) {
    super(db);
  }

  @Test
  void streamsTheChangesOfOneRunAsServerSentEvents() {
    applyOk(Samples.diamond("diamond"));
    String watched = startRun("diamond", "{}");
    String other = startRun("diamond", "{}");
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<HttpResponse<Stream<String>>> stream =
        http.client.sendAsync(
            http.request("/api/v1/events?run=" + watched, admin)
                .header("Accept", "text/event-stream")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    stream.thenAccept(r -> r.body().forEach(lines::add));
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> lines.contains(": connected"));
    } catch (RuntimeException e) {
      throw new AssertionError(
          "lines: "
              + lines
              + " status="
              + stream.join().statusCode()
              + " headers="
              + stream.join().headers().map(),
          e);
    }
    assertThat(stream.join().headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");

    feed(diamondSucceeds(other, clock.instant()));
    feed(diamondSucceeds(watched, clock.instant()));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> lines.stream().filter(l -> l.equals("event: run")).count() == 2);
    assertThat(lines.stream().filter(l -> l.equals("event: task")).count()).isEqualTo(12);
    assertThat(lines.stream().filter(l -> l.startsWith("data:")))
        .allMatch(l -> l.contains(watched))
        .noneMatch(l -> l.contains(other));
    assertThat(lines)
        .anyMatch(
            l -> l.contains("\"type\":\"RunPhaseChanged\"") && l.contains("\"to\":\"Succeeded\""));
    stream.cancel(true);
  }

  @Test
  void eventsNeedATokenAndAnEventStreamClient() {
    assertThat(http.get("/api/v1/events", null).statusCode()).isEqualTo(401);
    assertThat(http.get("/api/v1/events", admin).statusCode()).isEqualTo(406);
  }
}

package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.logstore.LogKey;
import io.kontroler.logstore.LogWriter;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Db.class)
class LogApiTest extends ApiTestBase {

  LogApiTest(Db db) {
    super(db);
  }

  private String path(String runId) {
    return "/api/v1/runs/" + runId + "/tasks/a/attempts/1/log";
  }

  @Test
  void storedLogsAreServedWholeOrByRange() throws IOException {
    applyOk(Samples.diamond("diamond"));
    String id = startRun("diamond", "{}");
    try (LogWriter w = logs.open(new LogKey(id, "a", 1))) {
      write(w, "line one\nline two\n");
    }
    HttpResponse<String> whole = http.get(path(id), admin);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo("line one\nline two\n");
    assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");

    HttpResponse<String> part =
        http.send(http.request(path(id), admin).header("Range", "bytes=5-7").GET().build());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo("one");
    assertThat(part.headers().firstValue("Content-Range")).contains("bytes 5-7/18");

    HttpResponse<String> tail =
        http.send(http.request(path(id), admin).header("Range", "bytes=9-").GET().build());
    assertThat(tail.body()).isEqualTo("line two\n");
    HttpResponse<String> last =
        http.send(http.request(path(id), admin).header("Range", "bytes=-4").GET().build());
    assertThat(last.statusCode()).isEqualTo(206);
    assertThat(last.body()).isEqualTo("two\n");
    assertThat(last.headers().firstValue("Content-Range")).contains("bytes 14-17/18");
    HttpResponse<String> past =
        http.send(http.request(path(id), admin).header("Range", "bytes=100-").GET().build());
    assertThat(past.statusCode()).isEqualTo(416);

    assertThat(Http.json(http.get("/api/v1/runs/" + id + "/logs", admin)).get("items")).hasSize(1);
    assertThat(http.get("/api/v1/runs/" + id + "/tasks/b/attempts/1/log", admin).statusCode())
        .isEqualTo(404);
    assertThat(http.get("/api/v1/runs/nope/tasks/a/attempts/1/log", admin).statusCode())
        .isEqualTo(404);
  }

  @Test
  void followStreamsALiveLogUntilItIsComplete() throws Exception {
    applyOk(Samples.diamond("diamond"));
    String id = startRun("diamond", "{}");
    LogWriter w = logs.open(new LogKey(id, "a", 1));
    write(w, "first\n");
    CompletableFuture<HttpResponse<String>> follow =
        http.client.sendAsync(
            http.request(path(id) + "/follow", admin).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    write(w, "second\n");
    w.close();
    HttpResponse<String> r = follow.get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("first\nsecond\n");
  }

  private static void write(LogWriter out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
  }
}

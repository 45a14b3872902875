package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.api.auth.Role;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.logstore.LogKey;
import io.kontroler.logstore.LogWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live streams (log follows and server-sent events) on a real server: none of them can stall the
 * api, whatever its clients do.
 */
class LiveStreamsApiTest extends ApiTestBase {
  private static final int PER_USER = 3;
  private static final int MAX = 150;

  LiveStreamsApiTest() {
    super(Db.SQLITE);
  }

  @Override
  ApiConfig config() {
    return super.config()
        .with(
            Map.of(
                "api.streams.max",
                String.valueOf(MAX),
                "api.streams.per.user",
                String.valueOf(PER_USER),
                "api.stream.queue",
                "20",
                "api.stream.heartbeat",
                "PT0.2S"));
  }

  private String follow(String runId, String task, int attempt) {
    return "/api/v1/runs/" + runId + "/tasks/" + task + "/attempts/" + attempt + "/log/follow";
  }

  @Test
  void followingAnAttemptThatHasNoLogAndNeverWillIs404AtOnce() {
    applyOk(Samples.diamond("diamond"));
    String id = startRun("diamond", "{}");
    HttpResponse<String> noTask = http.get(follow(id, "nope", 9), admin);
    assertThat(noTask.statusCode()).isEqualTo(404);
    assertThat(noTask.body()).contains("has no task 'nope'");
    assertThat(http.get(follow(id, "a", 9), admin).statusCode()).isEqualTo(404);
    assertThat(http.get(follow("nope", "a", 1), admin).statusCode()).isEqualTo(404);
    feed(diamondSucceeds(id, clock.instant()));
    HttpResponse<String> finished = http.get(follow(id, "a", 1), admin);
    assertThat(finished.statusCode()).isEqualTo(404);
    assertThat(finished.body()).contains("Succeeded");
  }

  @Test
  void aUserHoldsAtMostTheirShareOfStreamsAndOthersAreServed() throws Exception {
    applyOk(Samples.diamond("diamond"));
    String id = startRun("diamond", "{}");
    LogWriter live = logs.open(new LogKey(id, "a", 1));
    String viewer = tokenFor(Role.viewer);
    List<CompletableFuture<HttpResponse<InputStream>>> open = new ArrayList<>();
    for (int i = 0; i < PER_USER; i++) {
      open.add(openFollow(id, viewer));
    }
    for (var f : open) {
      assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> refused = http.get(follow(id, "a", 1), viewer);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("api.streams.per.user");
    HttpResponse<String> events =
        http.send(
            http.request("/api/v1/events", viewer)
                .header("Accept", "text/event-stream")
                .GET()
                .build());
    assertThat(events.statusCode()).isEqualTo(429);

    var adminFollow = openFollow(id, admin).get(10, TimeUnit.SECONDS);
    assertThat(adminFollow.statusCode()).isEqualTo(200);

    for (var f : open) {
      f.get().body().close();
    }
    live.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> openFollow(id, viewer).get(10, TimeUnit.SECONDS).statusCode() == 200);
  }

  @Test
  void manyOpenStreamsHoldNoneOfTheThreadsOfOtherRoutes() throws Exception {
    applyOk(Samples.diamond("diamond"));
    String id = startRun("diamond", "{}");
    LogWriter live = logs.open(new LogKey(id, "a", 1));
    List<Socket> followers = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int u = 0; u < MAX / PER_USER; u++) {
      http.post(
          "/api/v1/users",
          admin,
          "{\"username\":\"v" + u + "\",\"password\":\"password-" + u + "\",\"role\":\"viewer\"}");
      tokens.add(http.login("v" + u, "password-" + u));
    }
    try {
      for (String token : tokens) {
        for (int i = 0; i < PER_USER; i++) {
          followers.add(rawFollow(follow(id, "a", 1), token));
        }
      }
      assertThat(http.get(follow(id, "a", 1), admin).statusCode()).isEqualTo(429);
      long started = System.nanoTime();
      HttpResponse<String> health = http.get("/api/v1/health", null);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
      assertThat(http.get("/api/v1/runs/" + id, admin).statusCode()).isEqualTo(200);
    } finally {
      for (Socket s : followers) {
        s.close();
      }
      live.close();
    }
  }

  @Test
  void aFollowWhoseClientLeftEndsAndFreesItsPlace() throws Exception {
    applyOk(Samples.diamond("diamond"));
    String id = startRun("diamond", "{}");
    LogWriter live = logs.open(new LogKey(id, "a", 1));
    String viewer = tokenFor(Role.viewer);
    List<Socket> abandoned = new ArrayList<>();
    for (int i = 0; i < PER_USER; i++) {
      abandoned.add(rawFollow(follow(id, "a", 1), viewer));
    }
    assertThat(http.get(follow(id, "a", 1), viewer).statusCode()).isEqualTo(429);
    for (Socket s : abandoned) {
      s.close();
    }
    // Nothing is written to the quiet log: only the heartbeat's check finds that they left.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> openFollow(id, viewer).get(10, TimeUnit.SECONDS).statusCode() == 200);
    live.close();
  }

  @Test
  void aSlowEventClientIsDisconnectedAndNeverBlocksTheHistory() throws Exception {
    applyOk(Samples.diamond("diamond"));
    String viewer = tokenFor(Role.viewer);
    Socket stuck = new Socket();
    stuck.setReceiveBufferSize(4096);
    stuck.connect(new java.net.InetSocketAddress("localhost", port()));
    send(stuck, "/api/v1/events", viewer, "text/event-stream");
    readHeaders(stuck.getInputStream());
    try {
      CompletableFuture<Void> projection =
          CompletableFuture.runAsync(
              () -> {
                // Long run ids make every event about 16 KiB: far more than socket buffers hold.
                for (int i = 0; i < 40; i++) {
                  String run = "run-" + i + "-" + "x".repeat(16 * 1024);
                  List<Notification> events = diamondSucceeds(run, clock.instant());
                  feed(events);
                }
              });
      // The history goes on although the client reads nothing.
      projection.get(120, TimeUnit.SECONDS);
      // The client fell more than its queue behind: the server ended its stream.
      InputStream in = stuck.getInputStream();
      CompletableFuture<Void> ended =
          CompletableFuture.runAsync(
              () -> {
                byte[] sink = new byte[64 * 1024];
                try {
                  while (in.read(sink) >= 0) {
                    // what was sent before the end
                  }
                } catch (IOException e) {
                  // a reset is an end too
                }
              });
      ended.get(60, TimeUnit.SECONDS);
      for (int i = 0; i < PER_USER; i++) {
        Socket s = new Socket("localhost", port());
        send(s, "/api/v1/events", viewer, "text/event-stream");
        assertThat(readHeaders(s.getInputStream())).startsWith("HTTP/1.1 200");
        s.close();
      }
    } finally {
      stuck.close();
    }
  }

  private int port() {
    return Integer.parseInt(http.base.substring(http.base.lastIndexOf(':') + 1));
  }

  private CompletableFuture<HttpResponse<InputStream>> openFollow(String id, String token) {
    return http.client.sendAsync(
        http.request(follow(id, "a", 1), token).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  /** A follow on a plain socket, its answer's headers read: the caller abandons it by closing. */
  private Socket rawFollow(String path, String token) throws IOException {
    Socket s = new Socket("localhost", port());
    send(s, path, token, "text/plain");
    String head = readHeaders(s.getInputStream());
    assertThat(head).startsWith("HTTP/1.1 200");
    return s;
  }

  private static void send(Socket s, String path, String token, String accept) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + token
                + "\r\nAccept: "
                + accept
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String readHeaders(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }
}

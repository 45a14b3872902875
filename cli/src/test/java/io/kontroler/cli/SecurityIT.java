package io.kontroler.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kontroler.cli.standalone.Standalone;
import io.kontroler.cli.standalone.StandaloneOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on a running standalone, each replayed as a user would try it, and each must fail: a task
 * reading Kontroler's secrets, viewers stalling the api, password guessing, stolen tokens,
 * cross-site requests, names that are not Kubernetes names, and webhooks aimed inward.
 */
class SecurityIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Names a task may see in its environment without it being Kontroler's. */
  private static final Set<String> TASK_OWN =
      Set.of("PATH", "HOME", "LANG", "LC_ALL", "PWD", "OLDPWD", "SHLVL", "_", "TMPDIR", "USER");

  @TempDir static Path data;
  static Standalone standalone;
  static HttpClient client;
  static String base;
  static String adminPassword;
  static String admin;

  @BeforeAll
  static void start() throws IOException {
    Path secret = data.resolve("secrets").resolve("kept-secret");
    Files.createDirectories(secret);
    Files.writeString(secret.resolve("value"), "secret-value-a-task-must-not-see");
    // No admin.password: the generated one is written to <data>/initial-admin-password.
    standalone =
        Standalone.start(
            new StandaloneOptions(0, data, 2, Map.of("api.webhook.max.attempts", "1")));
    base = standalone.url();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    adminPassword = Files.readString(data.resolve("initial-admin-password")).trim();
    admin = login("admin", adminPassword);
  }

  @AfterAll
  static void stop() {
    if (standalone != null) {
      standalone.close();
    }
  }

  @Test
  void aTaskCanNotReadTheAdminPasswordTheDatabaseOrKontrolersEnvironment() throws Exception {
    String dataDir = data.toAbsolutePath().toString();
    String script =
        String.join(
            "; ",
            "cat ../../initial-admin-password",
            "cat " + dataDir + "/initial-admin-password",
            "head -c 64 ../../kontroler.db",
            "head -c 64 " + dataDir + "/kontroler.db",
            "cat " + dataDir + "/secrets/kept-secret/value",
            "cat /proc/$PPID/environ | tr '\\0' '\\n'",
            "env",
            "echo done");
    apply(
        """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata:
          name: snoop
        spec:
          task:
            - name: snoop
              image: alpine:3.20
              command: ["sh", "-c", %s]
        """
            .formatted(JSON.writeValueAsString(script)));
    JsonNode run = runToEnd("snoop");
    String log =
        text(get("/api/v1/runs/" + run.path("id").asText() + "/tasks/snoop/attempts/1/log", admin));
    assertThat(log).contains("done");

    assertThat(log).doesNotContain(adminPassword);
    assertThat(log).doesNotContain("SQLite format 3");
    assertThat(log).doesNotContain("secret-value-a-task-must-not-see");
    List<String> kontrolersOwn =
        System.getenv().keySet().stream().filter(n -> !TASK_OWN.contains(n)).toList();
    assertThat(kontrolersOwn).as("the variables of Kontroler's process").isNotEmpty();
    for (String name : kontrolersOwn) {
      assertThat(log).as("a task's environment").doesNotContain(name + "=");
    }
  }

  @Test
  void abandonedFollowsOfALogThatDoesNotExistLeaveTheApiAnswering() throws Exception {
    apply(sleeper("quiet", "echo quiet"));
    String id = runToEnd("quiet").path("id").asText();
    String viewer = userWithRole("follower", "viewer");
    String path = "/api/v1/runs/" + id + "/tasks/nope/attempts/9/log/follow";
    List<Socket> abandoned = new ArrayList<>();
    try {
      for (int i = 0; i < 250; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(URI.create(base).getHost(), URI.create(base).getPort()));
        OutputStream out = s.getOutputStream();
        out.write(
            ("GET "
                    + path
                    + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + viewer
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        abandoned.add(s);
      }
      // Each is answered at once, without waiting for a log that will never come.
      for (Socket s : abandoned) {
        s.setSoTimeout(30_000);
        assertThat(statusLine(s)).startsWith("HTTP/1.1 404");
      }
    } finally {
      // The clients go away without reading the rest, as a closed browser tab does.
      for (Socket s : abandoned) {
        s.close();
      }
    }
    assertHealthWithinASecond();
    HttpResponse<String> missing = get(path, viewer);
    assertThat(missing.statusCode()).isEqualTo(404);
    HttpResponse<String> badRange =
        send(
            request("/api/v1/runs/" + id + "/tasks/quiet/attempts/1/log", viewer)
                .header("Range", "bytes=99999999999999999999-")
                .GET());
    assertThat(badRange.statusCode()).isEqualTo(416);
  }

  @Test
  void aBurstOfWrongLoginsGetsAtMostTheLimitAndTheRightPasswordThenWorksWithinTheDelay() {
    userWithRole("guessed", "viewer");
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      burst.add(
          client.sendAsync(
              request("/api/v1/auth/login", null)
                  .header("Content-Type", "application/json")
                  .POST(body(Map.of("username", "guessed", "password", "wrong-" + i)))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> codes = burst.stream().map(f -> f.join().statusCode()).toList();
    long unauthorized = codes.stream().filter(c -> c == 401).count();
    assertThat(unauthorized).as("wrong passwords checked").isLessThanOrEqualTo(5);
    assertThat(codes).containsOnly(401, 429);

    // Documented: the right password works at the latest api.login.max.delay (30 s) later.
    await()
        .atMost(Duration.ofSeconds(31))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                send(request("/api/v1/auth/login", null)
                            .header("Content-Type", "application/json")
                            .POST(
                                body(
                                    Map.of("username", "guessed", "password", "password-guessed"))))
                        .statusCode()
                    == 200);
  }

  @Test
  void oldSessionsAndTokensDieOnAPasswordReset() throws Exception {
    String session = userWithRole("reset-me", "editor");
    String minted =
        json(send(
                request("/api/v1/auth/tokens", session)
                    .header("Content-Type", "application/json")
                    .POST(body(Map.of("name", "ci", "ttlSeconds", 86400)))))
            .path("token")
            .asText();
    assertThat(get("/api/v1/dags", minted).statusCode()).isEqualTo(200);

    HttpResponse<String> reset =
        send(
            request("/api/v1/users/reset-me/password", admin)
                .header("Content-Type", "application/json")
                .PUT(body(Map.of("newPassword", "a-brand-new-password"))));
    assertThat(reset.statusCode()).isEqualTo(204);

    assertThat(get("/api/v1/dags", session).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/dags", minted).statusCode()).isEqualTo(401);
    assertThat(login("reset-me", "a-brand-new-password")).isNotBlank();
  }

  @Test
  void plainTextAndForeignOriginsCanNotChangeAnything() throws Exception {
    apply(sleeper("csrf", "echo csrf"));
    String cookie = sessionCookie("admin", adminPassword);
    String runRequest = "{\"dagName\":\"csrf\",\"parameters\":{}}";
    HttpResponse<String> plain =
        send(
            request("/api/v1/runs", null)
                .header("Cookie", cookie)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(runRequest)));
    assertThat(plain.statusCode()).isEqualTo(415);
    HttpResponse<String> foreign =
        send(
            request("/api/v1/runs", null)
                .header("Cookie", cookie)
                .header("Origin", "http://localhost:1")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(runRequest)));
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(json(get("/api/v1/runs?dag=csrf", admin)).path("items")).isEmpty();

    HttpResponse<String> page = get("/", null);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'self'");
  }

  @Test
  void namesThatAreNotKubernetesNamesAreRejected() {
    HttpResponse<String> r =
        send(
            request("/api/v1/dags", admin)
                .header("Content-Type", "application/yaml")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        """
                        apiVersion: kontroler.greedykomodo/v1alpha1
                        kind: DAG
                        metadata:
                          name: names
                          namespace: "a/b"
                        spec:
                          task:
                            - name: "x/y"
                              image: alpine:3.20
                              command: ["sh", "-c", "echo hi"]
                        """)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains("namespace").contains("x/y");
  }

  @Test
  void aWebhookAimedAtLoopbackIsRefused() throws Exception {
    AtomicInteger received = new AtomicInteger();
    HttpServer inside = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    inside.createContext(
        "/",
        exchange -> {
          received.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    inside.start();
    try {
      String url = "http://127.0.0.1:" + inside.getAddress().getPort() + "/hook";
      HttpResponse<String> applied =
          send(
              request("/api/v1/dags", admin)
                  .header("Content-Type", "application/yaml")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          """
                          apiVersion: kontroler.greedykomodo/v1alpha1
                          kind: DAG
                          metadata:
                            name: inward
                          spec:
                            webhook:
                              url: %s
                              verifySSL: false
                            task:
                              - name: hello
                                image: alpine:3.20
                                command: ["sh", "-c", "echo hello"]
                          """
                              .formatted(url))));
      if (applied.statusCode() == 400) {
        return; // refused when applied
      }
      assertThat(applied.statusCode()).as(applied.body()).isIn(200, 201);
      String id = runToEnd("inward").path("id").asText();
      // Refused when sent: every delivery of the run ends without reaching the receiver.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                JsonNode items =
                    json(get("/api/v1/webhooks/deliveries?run=" + id, admin)).path("items");
                if (items.isEmpty()) {
                  return false;
                }
                for (JsonNode d : items) {
                  if (d.path("status").asText().equals("pending")) {
                    return false;
                  }
                }
                return true;
              });
      assertThat(received.get()).isZero();
      for (JsonNode d : json(get("/api/v1/webhooks/deliveries?run=" + id, admin)).path("items")) {
        assertThat(d.path("status").asText()).isNotEqualTo("delivered");
      }
    } finally {
      inside.stop(0);
    }
  }

  @Test
  void standaloneListensOnThisMachineOnly() throws IOException {
    assertThat(standalone.host()).isEqualTo("127.0.0.1");
    Optional<InetAddress> other = nonLoopbackAddress();
    if (other.isPresent()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(other.get(), standalone.port()), 2000);
        throw new AssertionError("the api answered on " + other.get());
      } catch (IOException refused) {
        // expected: nothing listens there
      }
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  private static String statusLine(Socket s) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = s.getInputStream().read()) >= 0 && b != '\n') {
      line.append((char) b);
    }
    return line.toString();
  }

  private static void assertHealthWithinASecond() {
    long started = System.nanoTime();
    HttpResponse<String> health =
        send(request("/api/v1/health", null).timeout(Duration.ofSeconds(1)).GET());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
  }

  private static String sleeper(String name, String command) {
    return """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata:
          name: %s
        spec:
          task:
            - name: %s
              image: alpine:3.20
              command: ["sh", "-c", "%s"]
        """
        .formatted(name, name, command);
  }

  private static void apply(String yaml) {
    HttpResponse<String> r =
        send(
            request("/api/v1/dags", admin)
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)));
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
  }

  private static JsonNode runToEnd(String dag) throws IOException {
    HttpResponse<String> started =
        send(
            request("/api/v1/runs", admin)
                .header("Content-Type", "application/json")
                .POST(body(Map.of("dagName", dag, "parameters", Map.of()))));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String id = json(started).path("id").asText();
    JsonNode[] run = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              HttpResponse<String> r = get("/api/v1/runs/" + id, admin);
              if (r.statusCode() != 200) {
                return false;
              }
              run[0] = json(r);
              return Set.of("Succeeded", "Failed", "Cancelled")
                  .contains(run[0].path("phase").asText());
            });
    return run[0];
  }

  private static String userWithRole(String name, String role) {
    HttpResponse<String> created =
        send(
            request("/api/v1/users", admin)
                .header("Content-Type", "application/json")
                .POST(
                    body(Map.of("username", name, "password", "password-" + name, "role", role))));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return login(name, "password-" + name);
  }

  private static String login(String user, String password) {
    HttpResponse<String> r =
        send(
            request("/api/v1/auth/login", null)
                .header("Content-Type", "application/json")
                .POST(body(Map.of("username", user, "password", password))));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    try {
      return json(r).path("token").asText();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String sessionCookie(String user, String password) {
    HttpResponse<String> r =
        send(
            request("/api/v1/auth/login", null)
                .header("Content-Type", "application/json")
                .POST(body(Map.of("username", user, "password", password))));
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return cookie.substring(0, cookie.indexOf(';'));
  }

  private static HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private static HttpRequest.BodyPublisher body(Object value) {
    try {
      return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(value));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static HttpResponse<String> get(String path, String token) {
    return send(request(path, token).GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  private static String text(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}

package io.kontroler.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.ApiConfig;
import io.kontroler.api.ApiServer;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.cli.Main;
import io.kontroler.logstore.LocalLogStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each client command says, and how it exits, when the server is not there, speaks no TLS,
 * refuses the login, the role or the thing named: a real api server on port 0 (no Kafka: nothing
 * here gets as far as publishing) and a port where nothing listens.
 */
class ClientErrorsTest {
  private static final String ADMIN_PASSWORD = "client-errors-admin";

  @TempDir static Path dir;
  static ApiServer server;
  static String url;
  static String admin;
  static String viewer;

  @BeforeAll
  static void startServer() throws IOException {
    ApiConfig config =
        ApiConfig.fromFlat(
            Map.of(
                "api.data.dir", dir.toString(),
                "api.port", "0",
                "api.host", "127.0.0.1",
                "api.password.iterations", "1000",
                "admin.password", ADMIN_PASSWORD));
    server =
        new ApiServer(
            config,
            new ApiServer.Adapters(
                new NoKafka(), new LocalLogStore(dir.resolve("logs")), false, Clock.systemUTC()));
    url = "http://127.0.0.1:" + server.start();
    admin = login("admin", ADMIN_PASSWORD);
    new ApiClient(URI.create(url), admin)
        .post(
            "/api/v1/users",
            Map.of("username", "vera", "password", "vera-password", "role", "viewer"));
    viewer = login("vera", "vera-password");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** Every client command, with the arguments it needs to reach the server. */
  static Stream<List<String>> clientCommands() {
    return Stream.of(
        List.of("runs"),
        List.of("get", "run", "some-run"),
        List.of("logs", "some-run", "some-task"),
        List.of("cancel", "some-run"),
        List.of("retry", "some-run"),
        List.of("run", "diamond"),
        List.of("apply", "-f", Path.of("..", "examples", "diamond.yaml").toString()),
        List.of("runs", "prune", "--before", "2020-01-31"));
  }

  @ParameterizedTest
  @MethodSource("clientCommands")
  void aServerThatIsNotThereIsNamedWithItsUrl(List<String> command) throws IOException {
    String closed = "http://127.0.0.1:" + closedPort();

    Result result = run(command, "--url", closed, "--token", "any");

    assertThat(result.exit()).as(result.err()).isEqualTo(3);
    assertThat(result.err())
        .contains("Kontroler server not reachable at " + closed)
        .contains("connection refused")
        .doesNotContain("null");
  }

  @Test
  void loginToAServerThatIsNotThereSaysSo() throws IOException {
    String closed = "http://127.0.0.1:" + closedPort();

    Result result =
        withStdin("secret", () -> run(List.of("login", "--password-stdin", "--url", closed)));

    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.err())
        .startsWith("Error: Kontroler server not reachable at " + closed)
        .doesNotContain("null");
  }

  @Test
  void aPlainHttpServerCalledOverHttpsIsATlsError() {
    String https = url.replace("http://", "https://");

    Result result = run(List.of("runs"), "--url", https, "--token", admin);

    assertThat(result.exit()).as(result.err()).isEqualTo(4);
    assertThat(result.err()).contains("TLS error talking to " + https).doesNotContain("null");
  }

  @Test
  void aWrongPasswordIsALoginRefused() {
    Result result =
        withStdin(
            "not-the-password", () -> run(List.of("login", "--password-stdin", "--url", url)));

    assertThat(result.exit()).isEqualTo(5);
    assertThat(result.err())
        .contains("Login refused (401): invalid username or password")
        .contains("Check the user name and password");
  }

  @ParameterizedTest
  @MethodSource("clientCommands")
  void anUnknownTokenAsksToLogInAgain(List<String> command) {
    Result result = run(command, "--url", url, "--token", "no-such-token");

    assertThat(result.exit()).as(result.err()).isEqualTo(5);
    assertThat(result.err()).contains("Not authenticated (401)").contains("Log in again");
  }

  @Test
  void aRoleTooLowNamesTheRoleNeeded() {
    Result result = run(List.of("cancel", "some-run"), "--url", url, "--token", viewer);

    assertThat(result.exit()).isEqualTo(6);
    assertThat(result.err())
        .contains("Forbidden (403): role editor required, but user 'vera' is viewer")
        .contains("POST /api/v1/runs/some-run/cancel");
  }

  @Test
  void pruningTheHistoryNeedsAnAdmin() {
    Result result =
        run(List.of("runs", "prune", "--before", "2020-01-31"), "--url", url, "--token", viewer);

    assertThat(result.exit()).isEqualTo(6);
    assertThat(result.err())
        .contains("Forbidden (403): role admin required, but user 'vera' is viewer")
        .contains("POST /api/v1/admin/prune");
  }

  @Test
  void somethingThatDoesNotExistIsNamed() {
    Result result = run(List.of("get", "run", "no-such-run"), "--url", url, "--token", admin);

    assertThat(result.exit()).isEqualTo(7);
    assertThat(result.err())
        .contains("Not found (404): no run 'no-such-run'")
        .contains("GET /api/v1/runs/no-such-run");
  }

  @Test
  void anInvalidFileIsRejectedWithEveryProblem() {
    String bad = Path.of("..", "examples", "bad", "command-and-script.yaml").toString();

    Result result = run(List.of("apply", "-f", bad), "--url", url, "--token", admin);

    assertThat(result.exit()).isEqualTo(8);
    assertThat(result.err())
        .contains(bad + ": rejected")
        .contains("task 'both' sets both command and script")
        .contains("task 'neither' needs a command or a script");
  }

  @Test
  void helpListsEveryExitCode() {
    Result result = run(List.of("runs", "--help"));

    assertThat(result.exit()).isZero();
    assertThat(result.out().replaceAll("\\s+", " "))
        .contains("Exit codes:")
        .contains("3 The server could not be reached")
        .contains("4 The TLS handshake")
        .contains("5 Not logged in")
        .contains("6 Logged in, but the role is too low")
        .contains("7 What was named does not exist");
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(List<String> command, String... more) {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of(more));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Main.run(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Result(exit, out.toString(), err.toString());
  }

  private static Result withStdin(String line, java.util.function.Supplier<Result> body) {
    InputStream original = System.in;
    System.setIn(new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)));
    try {
      return body.get();
    } finally {
      System.setIn(original);
    }
  }

  private static String login(String user, String password) throws IOException {
    return new ApiClient(URI.create(url), null)
        .post("/api/v1/auth/login", Map.of("username", user, "password", password))
        .path("token")
        .asText();
  }

  /** A port that was free a moment ago: nothing listens on it. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The publisher of a server with no Kafka: nothing in these tests should publish. */
  private static final class NoKafka implements Publisher {
    @Override
    public void publish(List<Outgoing> records) {
      throw new PublishException("no Kafka in this test", null);
    }
  }
}

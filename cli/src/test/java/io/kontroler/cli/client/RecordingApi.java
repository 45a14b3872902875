package io.kontroler.cli.client;

import io.kontroler.api.ApiConfig;
import io.kontroler.api.ApiServer;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.logstore.LocalLogStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real api server (SQLite history) for the client commands' tests: the commands and pool records
 * it would publish to Kafka are recorded instead, and its DAG submissions are answered at once as
 * the scheduler would (version 1). Started with one DAG applied and the admin signed in.
 */
final class RecordingApi implements AutoCloseable {
  private final List<Inbound> commands = new CopyOnWriteArrayList<>();
  private final List<PoolMessage> pools = new CopyOnWriteArrayList<>();
  private final ApiServer server;
  private final String url;
  private final String token;

  private RecordingApi(Path dir, String password, String dagYaml) throws Exception {
    ApiConfig config =
        ApiConfig.fromFlat(
            Map.of(
                "api.data.dir",
                dir.toString(),
                "api.port",
                "0",
                "api.db.url",
                "jdbc:sqlite:" + dir.resolve("kontroler.db"),
                "api.password.iterations",
                "1000",
                "admin.password",
                password));
    Publisher publisher =
        records -> {
          for (Publisher.Outgoing r : records) {
            if (r.message() instanceof Inbound.DagSubmitted s) {
              server()
                  .catalog()
                  .apply(
                      new Catalog.DagPublished(
                          s.dag(), 1, s.spec(), s.submittedAt(), s.submissionId()));
            }
            if (r.message() instanceof Inbound command) {
              commands.add(command);
            }
            if (r.message() instanceof PoolMessage message) {
              pools.add(message);
            }
          }
        };
    server =
        new ApiServer(
            config,
            new ApiServer.Adapters(
                publisher, new LocalLogStore(dir.resolve("logs")), false, Clock.systemUTC()));
    url = "http://localhost:" + server.start();
    token =
        new ApiClient(URI.create(url), null)
            .post("/api/v1/auth/login", Map.of("username", "admin", "password", password))
            .path("token")
            .asText();
    new ApiClient(URI.create(url), token).postText("/api/v1/dags", dagYaml, "application/yaml");
  }

  /** Starts the api in {@code dir} with {@code dagYaml} applied, signed in as the admin. */
  static RecordingApi start(Path dir, String password, String dagYaml) throws Exception {
    return new RecordingApi(dir, password, dagYaml);
  }

  ApiServer server() {
    return server;
  }

  String url() {
    return url;
  }

  /** The admin's session token. */
  String token() {
    return token;
  }

  /** Every command the api published, in order. */
  List<Inbound> commands() {
    return commands;
  }

  /** Every record the api published to the shared pools' topic, in order. */
  List<PoolMessage> pools() {
    return pools;
  }

  @Override
  public void close() {
    server.close();
  }
}

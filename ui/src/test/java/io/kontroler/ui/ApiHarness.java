package io.kontroler.ui;

import io.kontroler.api.ApiConfig;
import io.kontroler.api.ApiServer;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.logstore.LocalLogStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real api server (SQLite in a folder, local logs, the UI from the classpath) with the
 * scheduler and executor replaced by a {@link RunPlayer}: what the api publishes goes to the
 * player, which answers with the run events a scheduler publishes and writes task logs the way an
 * executor does. The browser sees only the api, exactly as in production.
 */
final class ApiHarness implements AutoCloseable {
  static final String ADMIN_PASSWORD = "admin-password-for-tests";

  private final ApiServer server;
  private final RunPlayer player;
  private final int port;

  ApiHarness(Path dataDir, Duration taskTime) {
    this(dataDir, taskTime, Map.of());
  }

  /** The same, with the api keys of {@code extra} set as well (single sign-on, say). */
  ApiHarness(Path dataDir, Duration taskTime, Map<String, String> extra) {
    LocalLogStore logs = new LocalLogStore(dataDir.resolve("logs"));
    RunPlayer[] holder = new RunPlayer[1];
    ApiServer[] api = new ApiServer[1];
    Map<String, Catalog> latest = new ConcurrentHashMap<>();
    Publisher publisher =
        records -> {
          for (Publisher.Outgoing r : records) {
            if (r.message() instanceof Inbound.DagSubmitted
                || r.message() instanceof Inbound.DagTaskSubmitted) {
              // the scheduler numbers versions and answers on the catalog
              Catalog published = number((Inbound) r.message(), latest);
              holder[0].catalog(published);
              api[0].catalog().apply(published);
            } else if (r.message() instanceof Inbound command) {
              holder[0].command(command);
            } else if (r.message() instanceof Catalog record) {
              holder[0].catalog(record);
            }
          }
        };
    ApiConfig config =
        ApiConfig.defaults(dataDir)
            .with(
                Map.of(
                    "api.port", "0",
                    "api.max.body.bytes", String.valueOf(4 * 1024 * 1024),
                    "api.password.iterations", "1000",
                    "admin.password", ADMIN_PASSWORD,
                    "api.webhook.backoff", "PT0.1S"))
            .with(extra);
    server =
        new ApiServer(config, new ApiServer.Adapters(publisher, logs, false, Clock.systemUTC()));
    api[0] = server;
    player = new RunPlayer(() -> server.projection(), logs, taskTime);
    holder[0] = player;
    port = server.start();
  }

  /** The version the scheduler gives a submission: the latest again when unchanged. */
  private static Catalog number(Inbound submission, Map<String, Catalog> latest) {
    if (submission instanceof Inbound.DagSubmitted s) {
      Catalog.DagPublished last = (Catalog.DagPublished) latest.get(s.dag());
      int version =
          last == null
              ? 1
              : last.spec().versionedPart().equals(s.spec().versionedPart())
                  ? last.version()
                  : last.version() + 1;
      Catalog.DagPublished p =
          new Catalog.DagPublished(s.dag(), version, s.spec(), s.submittedAt(), s.submissionId());
      latest.put(s.dag(), p);
      return p;
    }
    Inbound.DagTaskSubmitted s = (Inbound.DagTaskSubmitted) submission;
    Catalog.DagTaskPublished last = (Catalog.DagTaskPublished) latest.get(s.dag());
    int version =
        last == null ? 1 : last.spec().equals(s.spec()) ? last.version() : last.version() + 1;
    Catalog.DagTaskPublished p =
        new Catalog.DagTaskPublished(s.namespace(), s.name(), version, s.spec(), s.submissionId());
    latest.put(s.dag(), p);
    return p;
  }

  String url() {
    return "http://localhost:" + port;
  }

  RunPlayer player() {
    return player;
  }

  @Override
  public void close() {
    player.close();
    server.close();
  }
}

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
    LocalLogStore logs = new LocalLogStore(dataDir.resolve("logs"));
    RunPlayer[] holder = new RunPlayer[1];
    Publisher publisher =
        records -> {
          for (Publisher.Outgoing r : records) {
            if (r.message() instanceof Inbound command) {
              holder[0].command(command);
            } else if (r.message() instanceof Catalog record) {
              holder[0].catalog(record);
            }
          }
        };
    ApiConfig config =
        ApiConfig.defaults(dataDir)
            .withPort(0)
            .withLimits(4 * 1024 * 1024, 1000, ADMIN_PASSWORD, Duration.ofMillis(100));
    server =
        new ApiServer(config, new ApiServer.Adapters(publisher, logs, false, Clock.systemUTC()));
    player = new RunPlayer(() -> server.projection(), logs, taskTime);
    holder[0] = player;
    port = server.start();
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

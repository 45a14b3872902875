package io.kontroler.cli.server;

import io.kontroler.api.ApiConfig;
import io.kontroler.api.ApiServer;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the API server, which also serves the UI. */
@Command(
    name = "api",
    mixinStandardHelpOptions = true,
    usageHelpWidth = 110,
    description = {
      "Run the API server and the UI. Its /api/v1/health is the probe.",
      "",
      "Keys (environment: KONTROLER_ + key in upper case, '.' as '_', '-' as '__'):",
      "  api.host (0.0.0.0)   api.port (8080)   api.data.dir (kontroler-data)",
      "  api.db.url (SQLite in the data dir; jdbc:postgresql://… for PostgreSQL 16+),",
      "  api.db.user, api.db.password",
      "  admin.password (KONTROLER_ADMIN_PASSWORD; generated and written to",
      "  <data dir>/initial-admin-password when absent)",
      "  api.max.body.bytes (1048576)   api.token.ttl (PT12H)   api.secure.cookie (false)",
      "  api.consumer.group (kontroler-api)   api.password.iterations (210000)",
      "  api.webhook.max.attempts (8), api.webhook.backoff (PT1S), api.webhook.timeout (PT10S)",
      "  api.webhook.lanes (16): target URLs served at once, each in its own queue",
      "  api.webhooks.allow-hosts (none): internal webhook targets allowed (hosts, CIDRs)",
      "  api.db.pool.size (10), api.db.connection.timeout (PT5S): the history database's pool",
      "  api.submission.timeout (PT15S): how long an apply waits for the scheduler's version",
      "  api.lag.groups (the api's, kontroler-scheduler, kontroler-executor): lag in /metrics",
      "  scheduler.finished.run.retention.ms (604800000 = 7 days): older runs cannot be retried",
      "  kafka.bootstrap.servers (localhost:9092), kafka.*, topics.*, logs.* (as the executor)"
    })
public final class ApiCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiCommand.class);

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    ApiConfig config = ApiConfig.fromFlat(options.load());
    try (Lifecycle lifecycle = new Lifecycle().closeOnShutdown()) {
      ApiServer api = lifecycle.add(new ApiServer(config));
      LOG.info("API and UI on port {}", api.start());
      lifecycle.awaitShutdown();
    }
    return 0;
  }
}

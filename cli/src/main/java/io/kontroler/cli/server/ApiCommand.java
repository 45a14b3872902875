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
    modelTransformer = ComponentKeys.class,
    description = {"Run the API server and the UI. Its /api/v1/health is the probe."})
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

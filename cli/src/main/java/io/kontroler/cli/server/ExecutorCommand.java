package io.kontroler.cli.server;

import io.kontroler.executor.ExecutorConfig;
import io.kontroler.executor.ExecutorWorker;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs one executor worker of the consumer group on the task launches. */
@Command(
    name = "executor",
    mixinStandardHelpOptions = true,
    usageHelpWidth = 110,
    modelTransformer = ComponentKeys.class,
    description = {
      "Run an executor worker: takes task launches from Kafka and runs them as Kubernetes Jobs or"
          + " local processes."
    })
public final class ExecutorCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorCommand.class);

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    Map<String, String> flat = options.load();
    ExecutorConfig config = ExecutorConfig.fromFlat(flat);
    LOG.info("Starting the executor with {}", config);
    try (Lifecycle lifecycle = new Lifecycle().closeOnShutdown()) {
      ExecutorWorker worker = lifecycle.add(ExecutorWorker.start(config));
      Health.startNaming(
          flat,
          lifecycle,
          () -> worker.problems().stream().map(p -> p.loop() + ": " + p.reason()).toList(),
          worker.metrics()::scrape);
      lifecycle.awaitShutdown();
    }
    return 0;
  }
}

package io.kontroler.cli.server;

import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs one scheduler instance against an existing Kafka cluster. */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    usageHelpWidth = 110,
    modelTransformer = ComponentKeys.class,
    description = {
      "Run a scheduler instance (Kafka Streams). Instances with the same application id share the"
          + " partitions."
    })
public final class SchedulerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerCommand.class);

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    Map<String, String> flat = options.load();
    SchedulerConfig config = SchedulerConfig.fromFlat(flat);
    try (Lifecycle lifecycle = new Lifecycle().closeOnShutdown()) {
      Scheduler scheduler = lifecycle.add(Scheduler.start(config));
      Health.startNaming(flat, lifecycle, scheduler::problems, scheduler.prometheus()::scrape);
      LOG.info("Scheduler running");
      lifecycle.awaitShutdown();
    }
    return 0;
  }
}

package io.kontroler.cli.server;

import io.kontroler.broker.loop.LoopHealth;
import io.kontroler.ingest.Ingest;
import io.kontroler.ingest.IngestConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the ingest: cron schedules and the Kubernetes controller. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    usageHelpWidth = 110,
    modelTransformer = ComponentKeys.class,
    description = {
      "Run the ingest: fires cron schedules and turns DAG, DagTask, DagRun and WorkFlow"
          + " resources into commands."
    })
public final class IngestCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(IngestCommand.class);

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    Map<String, String> flat = options.load();
    IngestConfig config = IngestConfig.fromFlat(flat);
    LOG.info("Starting the ingest with {}", config);
    try (Lifecycle lifecycle = new Lifecycle().closeOnShutdown()) {
      Ingest ingest = lifecycle.add(Ingest.start(config));
      Health.startNaming(flat, lifecycle, () -> problems(ingest));
      lifecycle.awaitShutdown();
    }
    return 0;
  }

  /** Every loop of the ingest that is not healthy, named with why; a probe that fails says it. */
  private static List<String> problems(Ingest ingest) {
    List<LoopHealth.Problem> problems = ingest.problems();
    if (!problems.isEmpty()) {
      LOG.warn("The ingest is not ready: {}", problems);
    }
    return problems.stream().map(p -> p.loop() + ": " + p.reason()).toList();
  }
}

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
    description = {
      "Run a scheduler instance (Kafka Streams). Instances with the same application id share the"
          + " partitions.",
      "",
      "Keys (environment: KONTROLER_ + key in upper case, '.' as '_', '-' as '__'):",
      "  kafka.bootstrap.servers (localhost:9092), kafka.* client properties",
      "  scheduler.application.id (kontroler-scheduler)   scheduler.partitions (6)",
      "  scheduler.replication.factor (1)   scheduler.create.topics (true)",
      "  scheduler.state.dir (kontroler-data/streams)",
      "  scheduler.processing.guarantee (exactly_once_v2 | at_least_once)",
      "  scheduler.num.stream.threads (1)   scheduler.commit.interval.ms (20)",
      "  scheduler.prompt.commit.max.lag.ms (10): commit at once for records this fresh",
      "  scheduler.poll.ms (10)   scheduler.standby.replicas (0; 1 with 2+ instances)",
      "  scheduler.timer.interval.ms (100)   scheduler.in.memory.stores (true)",
      "  scheduler.finished.run.retention.ms (604800000 = 7 days): how long a finished run's",
      "    state is kept for retries (the api reads this key too)",
      "  executor.attempt.lease.ms (6000): an attempt whose executor went unheard of this long is"
          + " lost",
      "  scheduler.session.timeout.ms (6000)   scheduler.heartbeat.interval.ms (1500)",
      "  scheduler.max.poll.interval.ms (60000)   scheduler.transaction.timeout.ms (7000)",
      "  scheduler.acceptable.recovery.lag (10000)   scheduler.probing.rebalance.interval.ms (60000)",
      "  topics.dags, topics.commands, topics.task-launches, topics.task-outcomes,",
      "  topics.run-events, topics.dead-letters (kontroler.<name>)   streams.* Streams properties",
      "  health.host (127.0.0.1; 0.0.0.0 for every interface)",
      "  health.port (8081; 0 picks a free port, -1 none)"
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
      Health.start(flat, lifecycle, scheduler::ready);
      LOG.info("Scheduler running");
      lifecycle.awaitShutdown();
    }
    return 0;
  }
}

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
    description = {
      "Run an executor worker: takes task launches from Kafka and runs them as Kubernetes Jobs or"
          + " local processes.",
      "",
      "Keys (environment: KONTROLER_ + key in upper case, '.' as '_', '-' as '__'):",
      "  kafka.bootstrap.servers (localhost:9092), kafka.* client properties",
      "  executor.group.id (kontroler-executor)   executor.backend (process | kubernetes)",
      "  executor.in.flight.limit (32): tasks at once before the worker stops taking more",
      "  executor.data.dir (kontroler-data)   executor.kubernetes.namespace (each DAG's own)",
      "  executor.poll.ms (100)   executor.resync.ms (10000)   executor.not.ready.retry.ms (5000)",
      "  executor.id (<hostname>-<pid>)   executor.heartbeat.interval.ms (1000)",
      "  executor.process.work-dir (<java.io.tmpdir>/kontroler-work-<user>)",
      "  executor.process.user (nobody): tasks run as this user when Kontroler runs as root",
      "  logs.store (local | s3), logs.s3.bucket, logs.s3.endpoint, logs.s3.region,",
      "  logs.s3.path.style (false), logs.s3.access.key.id, logs.s3.secret.access.key",
      "  (default: the AWS credential chain, so IRSA works), logs.s3.multipart.threshold.bytes",
      "  topics.* (as the scheduler)",
      "  health.host (127.0.0.1; 0.0.0.0 for every interface)",
      "  health.port (8081; 0 picks a free port, -1 none)"
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
          () -> worker.problems().stream().map(p -> p.loop() + ": " + p.reason()).toList());
      lifecycle.awaitShutdown();
    }
    return 0;
  }
}

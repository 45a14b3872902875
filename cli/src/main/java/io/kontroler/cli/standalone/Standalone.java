package io.kontroler.cli.standalone;

import io.kontroler.api.ApiConfig;
import io.kontroler.api.ApiServer;
import io.kontroler.broker.KafkaSettings;
import io.kontroler.cli.server.Lifecycle;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.executor.ExecutorConfig;
import io.kontroler.executor.ExecutorWorker;
import io.kontroler.ingest.Ingest;
import io.kontroler.ingest.IngestConfig;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything on one machine: an in-process Kafka broker and each component, configured for a
 * laptop. The api listens on {@value #DEFAULT_HOST} only unless {@code api.host} says otherwise.
 * Closing stops them in reverse order.
 */
public final class Standalone implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);

  /** Where standalone's api listens by default: this machine only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  private final Lifecycle lifecycle;
  private final EmbeddedKafka kafka;
  private final Scheduler scheduler;
  private final ExecutorWorker executor;

  private final String host;
  private final int port;
  private final String tasks;

  private Standalone(
      Lifecycle lifecycle,
      EmbeddedKafka kafka,
      Scheduler scheduler,
      ExecutorWorker executor,
      String host,
      int port,
      String tasks) {
    this.lifecycle = lifecycle;
    this.kafka = kafka;
    this.scheduler = scheduler;
    this.executor = executor;
    this.host = host;
    this.port = port;
    this.tasks = tasks;
  }

  /** Who tasks run as and what they can reach. */
  public String tasks() {
    return tasks;
  }

  /** The interface the api and UI listen on: {@code 0.0.0.0} for every one. */
  public String host() {
    return host;
  }

  /** The port of the api and UI. */
  public int port() {
    return port;
  }

  /** Where to reach the api and UI from this machine. */
  public String url() {
    boolean any = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    String shown = any ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + port;
  }

  public static Standalone start(StandaloneOptions options) {
    Lifecycle lifecycle = new Lifecycle();
    try {
      Path data = options.dataDir().toAbsolutePath();
      EmbeddedKafka kafka = lifecycle.add(EmbeddedKafka.start(data, options.kafkaPort(), Map.of()));
      Map<String, String> flat = new HashMap<>();
      flat.put(KafkaSettings.PREFIX + "bootstrap.servers", kafka.bootstrapServers());
      flat.put("scheduler.partitions", Integer.toString(options.partitions()));
      flat.put("scheduler.state.dir", data.resolve("streams").toString());
      flat.put("executor.data.dir", data.toString());
      flat.put("api.data.dir", data.toString());
      flat.put("api.port", Integer.toString(options.port()));
      flat.put("api.host", DEFAULT_HOST);
      flat.put("ingest.instance-id", "standalone");
      flat.putAll(options.overrides());
      Scheduler scheduler = lifecycle.add(Scheduler.start(SchedulerConfig.fromFlat(flat)));
      ExecutorWorker executor = lifecycle.add(ExecutorWorker.start(ExecutorConfig.fromFlat(flat)));
      lifecycle.add(Ingest.start(IngestConfig.fromFlat(flat)));
      ApiConfig apiConfig = ApiConfig.fromFlat(flat);
      ApiServer api = lifecycle.add(new ApiServer(apiConfig));
      int port = api.start();
      LOG.info(
          "Kontroler standalone: api on {}:{}, broker at {}, data in {}",
          apiConfig.host(),
          port,
          kafka.bootstrapServers(),
          data);
      return new Standalone(
          lifecycle, kafka, scheduler, executor, apiConfig.host(), port, executor.taskIsolation());
    } catch (RuntimeException e) {
      lifecycle.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public ExecutorWorker executor() {
    return executor;
  }

  @Override
  public void close() {
    lifecycle.close();
  }
}

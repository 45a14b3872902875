package io.kontroler.cli.standalone;

import io.kontroler.api.ApiConfig;
import io.kontroler.api.ApiServer;
import io.kontroler.broker.EmbeddedKafka;
import io.kontroler.broker.KafkaSettings;
import io.kontroler.cli.server.Lifecycle;
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
 * laptop. Closing stops them in reverse order.
 */
public final class Standalone implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);

  private final Lifecycle lifecycle;
  private final EmbeddedKafka kafka;
  private final Scheduler scheduler;

  private final int port;
  private final String tasks;

  private Standalone(
      Lifecycle lifecycle, EmbeddedKafka kafka, Scheduler scheduler, int port, String tasks) {
    this.lifecycle = lifecycle;
    this.kafka = kafka;
    this.scheduler = scheduler;
    this.port = port;
    this.tasks = tasks;
  }

  /** Who tasks run as and what they can reach. */
  public String tasks() {
    return tasks;
  }

  /** The port of the api and UI. */
  public int port() {
    return port;
  }

  public String url() {
    return "http://localhost:" + port;
  }

  public static Standalone start(StandaloneOptions options) {
    Lifecycle lifecycle = new Lifecycle();
    try {
      Path data = options.dataDir().toAbsolutePath();
      EmbeddedKafka kafka = lifecycle.add(EmbeddedKafka.start(data));
      Map<String, String> flat = new HashMap<>();
      flat.put(KafkaSettings.PREFIX + "bootstrap.servers", kafka.bootstrapServers());
      flat.put("scheduler.partitions", Integer.toString(options.partitions()));
      flat.put("scheduler.state.dir", data.resolve("streams").toString());
      flat.put("executor.data.dir", data.toString());
      flat.put("api.data.dir", data.toString());
      flat.put("api.port", Integer.toString(options.port()));
      flat.put("ingest.instance-id", "standalone");
      flat.putAll(options.overrides());
      Scheduler scheduler = lifecycle.add(Scheduler.start(SchedulerConfig.fromFlat(flat)));
      ExecutorWorker executor = lifecycle.add(ExecutorWorker.start(ExecutorConfig.fromFlat(flat)));
      lifecycle.add(Ingest.start(IngestConfig.fromFlat(flat)));
      ApiServer api = lifecycle.add(new ApiServer(ApiConfig.fromFlat(flat)));
      int port = api.start();
      LOG.info("Kontroler standalone: broker at {}, data in {}", kafka.bootstrapServers(), data);
      return new Standalone(lifecycle, kafka, scheduler, port, executor.taskIsolation());
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

  @Override
  public void close() {
    lifecycle.close();
  }
}

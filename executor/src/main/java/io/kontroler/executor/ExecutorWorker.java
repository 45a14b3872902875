package io.kontroler.executor;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kontroler.executor.backend.TaskBackend;
import io.kontroler.executor.k8s.KubernetesBackend;
import io.kontroler.executor.process.ProcessBackend;
import io.kontroler.executor.process.ProcessSettings;
import io.kontroler.logstore.LogStore;
import io.kontroler.logstore.LogStores;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor worker: a member of the consumer group on the task-launches topic that runs each
 * attempt on its backend (local processes or Kubernetes Jobs) and publishes TaskStarted,
 * TaskSucceeded and TaskFailed on the task-outcomes topic. Start one with {@link
 * #start(ExecutorConfig)}; {@link #close()} stops it.
 */
public final class ExecutorWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorWorker.class);

  private final WorkerLoop loop;
  private final Thread thread;
  private final TaskBackend backend;
  private final Producer<String, byte[]> producer;
  private final LogStore logs;

  private ExecutorWorker(
      ExecutorConfig config,
      TaskBackend backend,
      Consumer<String, byte[]> consumer,
      Producer<String, byte[]> producer,
      LogStore logs) {
    this.backend = backend;
    this.producer = producer;
    this.logs = logs;
    this.loop = new WorkerLoop(config, consumer, new Outcomes(producer, config.topics()), backend);
    this.thread = new Thread(loop, "kontroler-executor");
    this.thread.setUncaughtExceptionHandler(
        (t, e) -> LOG.error("The executor worker stopped on an unexpected error", e));
  }

  /** Opens the log store and the backend, joins the consumer group and starts working. */
  public static ExecutorWorker start(ExecutorConfig config) {
    LOG.info("Starting executor worker: {}", config);
    LogStore logs = LogStores.open(config.logStore());
    return start(config, backend(config, logs), logs);
  }

  /** Starts a worker on {@code backend}; the worker closes it, and {@code logs}, when it stops. */
  public static ExecutorWorker start(ExecutorConfig config, TaskBackend backend, LogStore logs) {
    ExecutorWorker worker =
        new ExecutorWorker(
            config,
            backend,
            new KafkaConsumer<>(
                consumerProperties(config), new StringDeserializer(), new ByteArrayDeserializer()),
            new KafkaProducer<>(
                producerProperties(config), new StringSerializer(), new ByteArraySerializer()),
            logs);
    worker.thread.start();
    return worker;
  }

  /** The backend a configuration names, writing logs to {@code logs}. */
  public static TaskBackend backend(ExecutorConfig config, LogStore logs) {
    return switch (config.backend()) {
      case PROCESS -> new ProcessBackend(ProcessSettings.defaults(config.dataDir()), logs);
      case KUBERNETES ->
          new KubernetesBackend(
              new KubernetesClientBuilder().build(),
              config.kubernetes().withNamespace(config.kubernetesNamespace()),
              logs,
              true);
    };
  }

  /** Attempts this worker follows now. */
  public int inFlight() {
    return loop.inFlight();
  }

  /** True while the worker's thread runs. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  /** Leaves the group, then closes the backend (a process backend kills what still runs). */
  @Override
  public void close() {
    loop.stop();
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    backend.close();
    producer.close(Duration.ofSeconds(10));
    logs.close();
    LOG.info("Executor worker stopped");
  }

  static Properties consumerProperties(ExecutorConfig config) {
    Properties props = config.kafka().clientProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
    return props;
  }

  static Properties producerProperties(ExecutorConfig config) {
    Properties props = config.kafka().clientProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    return props;
  }
}

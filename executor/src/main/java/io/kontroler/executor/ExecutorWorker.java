package io.kontroler.executor;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kontroler.broker.loop.LoopHealth;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.executor.backend.TaskBackend;
import io.kontroler.executor.k8s.KubernetesBackend;
import io.kontroler.executor.k8s.WorkspaceSweep;
import io.kontroler.executor.process.ProcessBackend;
import io.kontroler.executor.process.ProcessSettings;
import io.kontroler.logstore.LogStore;
import io.kontroler.logstore.LogStores;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
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
 * TaskSucceeded and TaskFailed on the task-outcomes topic, with TaskAccepted for each attempt it
 * holds and a heartbeat that says it still holds them. Start one with {@link
 * #start(ExecutorConfig)}; {@link #close()} stops it.
 */
public final class ExecutorWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorWorker.class);

  /** A loop with no completed step for this long is reported as stalled. */
  private static final Duration STALL_AFTER = Duration.ofSeconds(30);

  private final String executorId;
  private final WorkerLoop loop;
  private final LoopHealth health;
  private final SupervisedLoop launches;
  private final SupervisedLoop heartbeats;
  private final SupervisedLoop workspaces;
  private final TaskBackend backend;
  private final Producer<String, byte[]> producer;
  private final LogStore logs;
  private final ExecutorMetrics metrics;

  private ExecutorWorker(
      ExecutorConfig config,
      TaskBackend backend,
      Supplier<Consumer<String, byte[]>> consumers,
      Producer<String, byte[]> producer,
      LogStore logs,
      Clock clock) {
    this.executorId = config.executorId();
    this.backend = backend;
    this.producer = producer;
    this.logs = logs;
    Outcomes outcomes = new Outcomes(producer, config.topics());
    // A Job is seen by whichever worker owns its DAG next; a process only by the one that runs it.
    AttemptTracker.Revoked revoked =
        backend instanceof ProcessBackend
            ? AttemptTracker.Revoked.KEEP
            : AttemptTracker.Revoked.HAND_OVER;
    this.metrics = new ExecutorMetrics(config.backend());
    this.loop = new WorkerLoop(config, consumers, outcomes, backend, revoked, metrics, clock);
    this.health = new LoopHealth(STALL_AFTER, clock);
    this.launches =
        health.watch(
            new SupervisedLoop(
                "executor-launches", loop::open, SupervisedLoop.Backoff.DEFAULT, clock));
    this.heartbeats =
        health.watch(
            new SupervisedLoop(
                "executor-heartbeat",
                () ->
                    new Heartbeats(
                        outcomes, config.executorId(), config.heartbeatInterval(), clock),
                SupervisedLoop.Backoff.DEFAULT,
                clock));
    metrics.watch(launches, health);
    metrics.watch(heartbeats, health);
    this.workspaces =
        backend instanceof KubernetesBackend kubernetes && !config.workspaceSweep().isZero()
            ? health.watch(
                new SupervisedLoop(
                    WorkspaceSweep.LOOP,
                    () ->
                        new WorkspaceSweep(
                            kubernetes, config.workspaceSweep(), config.workspaceGrace(), clock),
                    SupervisedLoop.Backoff.DEFAULT,
                    clock))
            : null;
    if (workspaces != null) {
      metrics.watch(workspaces, health);
    }
  }

  /** Opens the log store and the backend, joins the consumer group and starts working. */
  public static ExecutorWorker start(ExecutorConfig config) {
    LOG.info("Starting executor worker: {}", config);
    LogStore logs = LogStores.open(config.logStore());
    return start(config, backend(config, logs), logs);
  }

  /** Starts a worker on {@code backend}; the worker closes it, and {@code logs}, when it stops. */
  public static ExecutorWorker start(ExecutorConfig config, TaskBackend backend, LogStore logs) {
    Properties consumerProps = consumerProperties(config);
    ExecutorWorker worker =
        new ExecutorWorker(
            config,
            backend,
            () ->
                new KafkaConsumer<>(
                    consumerProps, new StringDeserializer(), new ByteArrayDeserializer()),
            new KafkaProducer<>(
                producerProperties(config), new StringSerializer(), new ByteArraySerializer()),
            logs,
            Clock.systemUTC());
    worker.launches.start();
    worker.heartbeats.start();
    if (worker.workspaces != null) {
      worker.workspaces.start();
    }
    return worker;
  }

  /** The backend a configuration names, writing logs to {@code logs}. */
  public static TaskBackend backend(ExecutorConfig config, LogStore logs) {
    return switch (config.backend()) {
      case PROCESS ->
          new ProcessBackend(
              ProcessSettings.defaults(config.dataDir(), config.processWorkDir())
                  .withUser(config.processUser()),
              logs);
      case KUBERNETES ->
          new KubernetesBackend(
              new KubernetesClientBuilder().build(),
              config.kubernetes().withNamespace(config.kubernetesNamespace()),
              logs,
              true);
    };
  }

  /** The worker's metrics, served on {@code /metrics} beside its health endpoint. */
  public ExecutorMetrics metrics() {
    return metrics;
  }

  /** Attempts this worker follows now. */
  public int inFlight() {
    return loop.inFlight();
  }

  /** The id this worker announces its attempts and heartbeats with. */
  public String executorId() {
    return executorId;
  }

  /** Where tasks run and what they can reach, in a sentence fit for a start-up banner. */
  public String taskIsolation() {
    if (backend instanceof ProcessBackend processes) {
      return processes.isolation().describe();
    }
    return "tasks run as Kubernetes Jobs";
  }

  /** True while every loop of the worker works: none died, stopped, fails or stalls. */
  public boolean isRunning() {
    return health.problems().isEmpty();
  }

  /** The loops that do not work now, each named with why; empty when all do. */
  public List<LoopHealth.Problem> problems() {
    return health.problems();
  }

  /**
   * Leaves the group and stops heartbeating, then closes the backend (a process backend kills what
   * still runs).
   */
  @Override
  public void close() {
    launches.close();
    heartbeats.close();
    if (workspaces != null) {
      workspaces.close();
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
    // Launches of a scheduler transaction that was aborted (a crash) must never run.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A crashed worker's partitions move within seconds, and the others keep theirs meanwhile.
    props.putIfAbsent(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
    props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1500");
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
    return props;
  }

  static Properties producerProperties(ExecutorConfig config) {
    Properties props = config.kafka().clientProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // The next task of a run waits for this task's outcome, and a whole hop takes about 2 ms:
    // send at once. Outcomes that pile up while a send is in flight still go out as one batch.
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
    return props;
  }
}

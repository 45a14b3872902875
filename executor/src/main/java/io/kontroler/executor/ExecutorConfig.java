package io.kontroler.executor;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.INT;
import static io.kontroler.core.config.ValueType.LIST;
import static io.kontroler.core.config.ValueType.MILLIS;
import static io.kontroler.core.config.ValueType.TEXT;
import static io.kontroler.core.config.ValueType.TRIMMED;
import static io.kontroler.core.config.ValueType.oneOf;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import io.kontroler.core.config.ValueType;
import io.kontroler.core.message.Topics;
import io.kontroler.core.validate.PodPolicy;
import io.kontroler.executor.k8s.KubernetesSettings;
import io.kontroler.logstore.LogStoreConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of an executor worker. Every key is described once, in {@link #TABLE} ({@code
 * kontroler executor --help} and the README list them); {@link #toString()} masks secrets.
 *
 * <p>The launches consumer reads committed records only, with cooperative rebalancing, {@code
 * session.timeout.ms} 6000 and {@code heartbeat.interval.ms} 1500 unless {@code kafka.*} says
 * otherwise.
 */
public record ExecutorConfig(
    KafkaSettings kafka,
    String groupId,
    Topics topics,
    Backend backend,
    int inFlightLimit,
    Path dataDir,
    LogStoreConfig logStore,
    String kubernetesNamespace,
    Duration pollTimeout,
    Duration resyncInterval,
    Duration notReadyRetry,
    String executorId,
    Duration heartbeatInterval,
    Path processWorkDir,
    String processUser,
    KubernetesSettings kubernetes,
    Duration workspaceSweep,
    Duration workspaceGrace) {

  /** Where attempts run. */
  public enum Backend {
    PROCESS,
    KUBERNETES
  }

  public ExecutorConfig {
    if (executorId == null || executorId.isBlank()) {
      throw new IllegalArgumentException("Expected an executor id, but it is empty");
    }
    if (processUser == null || processUser.isBlank()) {
      throw new IllegalArgumentException("Expected a user for processes, but it is empty");
    }
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException(
          "Expected a positive heartbeat interval, but got " + heartbeatInterval);
    }
    kubernetes = Objects.requireNonNullElse(kubernetes, KubernetesSettings.defaults());
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("Expected a consumer group id, but it is empty");
    }
    kubernetesNamespace =
        kubernetesNamespace == null || kubernetesNamespace.isBlank() ? null : kubernetesNamespace;
    if (inFlightLimit < 1) {
      throw new IllegalArgumentException(
          "Expected executor.in.flight.limit >= 1, but got " + inFlightLimit);
    }
  }

  private static final ValueType<Path> PATH = ValueType.of("path", Path::of, Path::toString);

  public static final ConfigKey<ExecutorConfig, String> GROUP_ID =
      key("executor.group.id", TEXT, "kontroler-executor")
          .readFrom(ExecutorConfig::groupId)
          .doc("The consumer group of all workers.");
  public static final ConfigKey<ExecutorConfig, Backend> BACKEND =
      key("executor.backend", oneOf(Backend.class), "process")
          .readFrom(ExecutorConfig::backend)
          .doc(
              "process: local processes; kubernetes: Jobs in the cluster the kubeconfig or service account points at.");
  public static final ConfigKey<ExecutorConfig, Integer> IN_FLIGHT_LIMIT =
      key("executor.in.flight.limit", INT.atLeast(1), "32")
          .readFrom(ExecutorConfig::inFlightLimit)
          .doc(
              "Attempts followed at once; the worker stops reading launches when it is reached and resumes as attempts end.");
  public static final ConfigKey<ExecutorConfig, Path> DATA_DIR =
      key("executor.data.dir", PATH, "kontroler-data")
          .readFrom(ExecutorConfig::dataDir)
          .doc(
              "The process backend's attempt journal (attempts), secret files (secrets/<secret>/<key>), local logs (logs) and the S3 log spool (logs-spool); tasks can not read it.");
  public static final ConfigKey<ExecutorConfig, String> KUBERNETES_NAMESPACE =
      key("executor.kubernetes.namespace", TEXT, null)
          .readFrom(ExecutorConfig::kubernetesNamespace)
          .doc("Run every Job in this namespace; none: each DAG's own namespace.")
          .shownAs("each DAG's own");
  public static final ConfigKey<ExecutorConfig, List<String>> WATCH_NAMESPACES =
      key("executor.kubernetes.watch-namespaces", LIST, null)
          .readFrom((ExecutorConfig c) -> c.kubernetes().watchNamespaces())
          .doc(
              "The namespaces whose Jobs the Kubernetes backend watches, comma separated; none: all, which needs cluster-wide read access.")
          .shownAs("all");
  public static final ConfigKey<ExecutorConfig, Integer> JOB_TTL =
      key("executor.job.ttl.seconds", INT.atLeast(0), "3600")
          .readFrom((ExecutorConfig c) -> c.kubernetes().jobTtlSeconds())
          .doc(
              "How long a finished Job and its pod stay for kubectl once the attempt's outcome is reported and its log stored (ttlSecondsAfterFinished, set only then, so that Kubernetes never deletes a log not copied yet).");
  public static final ConfigKey<ExecutorConfig, Duration> WORKSPACE_SWEEP =
      key("executor.workspace.sweep.ms", MILLIS.notNegative(), "600000")
          .readFrom(ExecutorConfig::workspaceSweep)
          .doc(
              "How often the Kubernetes backend looks for workspace claims whose run is gone; 0: never.");
  public static final ConfigKey<ExecutorConfig, Duration> WORKSPACE_GRACE =
      key("executor.workspace.orphan.grace.ms", MILLIS.positive(), "604800000")
          .readFrom(ExecutorConfig::workspaceGrace)
          .doc(
              "A workspace claim with no unfinished Job of its run, and no sign of life of the run (the claim or a Job of it created or finished) for this long (7 days), is an orphan and deleted. A run waiting longer between two tasks would lose its workspace.");
  public static final ConfigKey<ExecutorConfig, Duration> POLL =
      key("executor.poll.ms", MILLIS.notNegative(), "10")
          .readFrom(ExecutorConfig::pollTimeout)
          .doc(
              "The longest the worker waits for records before it looks at its attempts again: an attempt that ended waits up to this long before its outcome is sent, so it is on the path from a task's end to the next task's start. An idle worker wakes this often (a poll that sends no request).");
  public static final ConfigKey<ExecutorConfig, Duration> RESYNC =
      key("executor.resync.ms", MILLIS.positive(), "10000")
          .readFrom(ExecutorConfig::resyncInterval)
          .doc("Every attempt is checked this often even without a change.");
  public static final ConfigKey<ExecutorConfig, Duration> NOT_READY_RETRY =
      key("executor.not.ready.retry.ms", MILLIS.notNegative(), "5000")
          .readFrom(ExecutorConfig::notReadyRetry)
          .doc(
              "When a backend refuses a start for now (a quota), it is tried again after this long.");
  public static final ConfigKey<ExecutorConfig, String> EXECUTOR_ID =
      key("executor.id", TEXT, null)
          .readFrom(ExecutorConfig::executorId)
          .doc("Names this worker in TaskAccepted and its heartbeats; unique per running executor.")
          .shownAs("<hostname>-<pid>");
  public static final ConfigKey<ExecutorConfig, Duration> HEARTBEAT_INTERVAL =
      key("executor.heartbeat.interval.ms", MILLIS.positive(), "1000")
          .readFrom(ExecutorConfig::heartbeatInterval)
          .doc(
              "How often the worker tells every scheduler partition that it still holds its attempts.");
  public static final ConfigKey<ExecutorConfig, Path> PROCESS_WORK_DIR =
      key("executor.process.work-dir", PATH, null)
          .readFrom(ExecutorConfig::processWorkDir)
          .doc(
              "The process backend's run folders, outside the data dir so that a task never works beside Kontroler's own files.")
          .shownAs("<java.io.tmpdir>/kontroler-work-<user>");
  public static final ConfigKey<ExecutorConfig, String> PROCESS_USER =
      key("executor.process.user", TRIMMED, "nobody")
          .readFrom(ExecutorConfig::processUser)
          .doc("The user tasks run as when Kontroler runs as root (otherwise as Kontroler's own).");

  /** Every key of an executor worker. */
  public static final ConfigTable<ExecutorConfig> TABLE =
      ConfigTable.<ExecutorConfig>of()
          .with(KafkaSettings.TABLE, ExecutorConfig::kafka)
          .with(
              ConfigTable.of(
                  GROUP_ID,
                  BACKEND,
                  IN_FLIGHT_LIMIT,
                  DATA_DIR,
                  KUBERNETES_NAMESPACE,
                  WATCH_NAMESPACES,
                  JOB_TTL,
                  WORKSPACE_SWEEP,
                  WORKSPACE_GRACE,
                  POLL,
                  RESYNC,
                  NOT_READY_RETRY,
                  EXECUTOR_ID,
                  HEARTBEAT_INTERVAL,
                  PROCESS_WORK_DIR,
                  PROCESS_USER),
              c -> c)
          .with(Topics.TABLE, ExecutorConfig::topics)
          .with(LogStoreConfig.TABLE, ExecutorConfig::logStore)
          .with(PodPolicy.TABLE, c -> c.kubernetes().podPolicy());

  /** Every default, with Kafka at {@code bootstrapServers} and data in {@code dataDir}. */
  public static ExecutorConfig defaults(String bootstrapServers, Path dataDir) {
    return fromFlat(
        Map.of(
            KafkaSettings.BOOTSTRAP_SERVERS.name(),
            bootstrapServers,
            DATA_DIR.name(),
            dataDir.toString()));
  }

  /** Reads the keys of {@link #TABLE}; absent keys take their defaults. */
  public static ExecutorConfig fromFlat(Map<String, String> c) {
    ConfigValues v = TABLE.require(c);
    Path dataDir = v.get(DATA_DIR);
    String namespace = v.get(KUBERNETES_NAMESPACE);
    return new ExecutorConfig(
        KafkaSettings.from(v),
        v.get(GROUP_ID),
        Topics.from(v),
        v.get(BACKEND),
        v.get(IN_FLIGHT_LIMIT),
        dataDir,
        LogStoreConfig.from(v, dataDir),
        namespace,
        v.get(POLL),
        v.get(RESYNC),
        v.get(NOT_READY_RETRY),
        Objects.requireNonNullElseGet(v.get(EXECUTOR_ID), ExecutorConfig::defaultExecutorId),
        v.get(HEARTBEAT_INTERVAL),
        Objects.requireNonNullElseGet(v.get(PROCESS_WORK_DIR), ExecutorConfig::defaultWorkDir),
        v.get(PROCESS_USER),
        KubernetesSettings.defaults()
            .withNamespace(namespace)
            .withWatchNamespaces(Objects.requireNonNullElse(v.get(WATCH_NAMESPACES), List.of()))
            .withJobTtlSeconds(v.get(JOB_TTL))
            .withPodPolicy(PodPolicy.from(v)),
        v.get(WORKSPACE_SWEEP),
        v.get(WORKSPACE_GRACE));
  }

  /** A copy with the keys {@code overrides} sets, e.g. {@code with(IN_FLIGHT_LIMIT.set(4))}. */
  public ExecutorConfig with(Map<String, String> overrides) {
    return fromFlat(TABLE.merged(this, overrides));
  }

  /** A copy following at most {@code limit} attempts at once. */
  public ExecutorConfig withInFlightLimit(int limit) {
    return with(IN_FLIGHT_LIMIT.set(limit));
  }

  /** A copy named {@code id}, heartbeating every {@code interval}. */
  public ExecutorConfig withExecutor(String id, Duration interval) {
    Map<String, String> overrides = new HashMap<>(EXECUTOR_ID.set(id));
    overrides.putAll(HEARTBEAT_INTERVAL.set(interval));
    return with(overrides);
  }

  /** {@code <hostname>-<pid>}: unique per running process. */
  static String defaultExecutorId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "executor");
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  /** A folder of this user's in the system's temporary directory. */
  static Path defaultWorkDir() {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "kontroler-work-" + System.getProperty("user.name", "kontroler"));
  }

  /** Safe to log: Kafka secrets and the S3 secret key are masked. */
  @Override
  public String toString() {
    return TABLE.show("ExecutorConfig", this);
  }
}

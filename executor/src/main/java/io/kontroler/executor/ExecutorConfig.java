package io.kontroler.executor;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.core.message.Topics;
import io.kontroler.core.validate.PodPolicy;
import io.kontroler.executor.k8s.KubernetesSettings;
import io.kontroler.logstore.LogStoreConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of an executor worker. Every setting has a default ({@link #defaults(String,
 * Path)}); in brackets, its key in flat configuration ({@link #fromFlat}):
 *
 * <ul>
 *   <li>{@code kafka} [{@code kafka.bootstrap.servers}: localhost:9092, and any {@code kafka.*}
 *       client property]: how to reach Kafka.
 *   <li>{@code groupId} [{@code executor.group.id}]: {@code kontroler-executor} — the consumer
 *       group of all workers.
 *   <li>{@code topics} [{@code topics.task-launches}, {@code topics.task-outcomes}, {@code
 *       topics.dead-letters}, …]: {@link Topics#DEFAULT}; launches are read from {@code
 *       taskLaunches}, outcomes written to {@code taskOutcomes}, unreadable records to {@code
 *       deadLetters}.
 *   <li>{@code backend} [{@code executor.backend}: process | kubernetes]: process — local
 *       processes; kubernetes runs Jobs in the cluster the kubeconfig or service account points at.
 *   <li>{@code inFlightLimit} [{@code executor.in.flight.limit}]: 32 — attempts followed at once;
 *       the worker stops reading launches when it is reached and resumes as attempts end.
 *   <li>{@code dataDir} [{@code executor.data.dir}]: {@code kontroler-data} — the process backend's
 *       attempt journal ({@code attempts}), secret files ({@code secrets/<secret>/<key>}), local
 *       logs ({@code logs}) and the S3 log spool ({@code logs-spool}); tasks can not read it.
 *   <li>{@code logStore} [{@code logs.*}, see {@link LogStoreConfig}]: a folder in {@code dataDir}.
 *   <li>{@code kubernetesNamespace} [{@code executor.kubernetes.namespace}]: none — each DAG's own
 *       namespace; set it to run every Job in one namespace.
 *   <li>{@code pollTimeout} [{@code executor.poll.ms}]: 100 ms — the longest the worker waits for
 *       records before it looks at its attempts again.
 *   <li>{@code resyncInterval} [{@code executor.resync.ms}]: 10 s — every attempt is checked this
 *       often even without a change.
 *   <li>{@code notReadyRetry} [{@code executor.not.ready.retry.ms}]: 5 s — when a backend refuses a
 *       start for now (a quota), it is tried again after this long.
 *   <li>{@code executorId} [{@code executor.id}]: {@code <hostname>-<pid>} — names this worker in
 *       TaskAccepted and its heartbeats; unique per running executor process.
 *   <li>{@code heartbeatInterval} [{@code executor.heartbeat.interval.ms}]: 1 s — how often the
 *       worker tells every scheduler partition that it still holds its attempts.
 *   <li>{@code processWorkDir} [{@code executor.process.work-dir}]: {@code
 *       <java.io.tmpdir>/kontroler-work-<user>} — the process backend's run folders, outside {@code
 *       dataDir} so that a task never works beside Kontroler's own files.
 *   <li>{@code processUser} [{@code executor.process.user}]: {@code nobody} — the user processes
 *       run as when Kontroler runs as root (otherwise they run as Kontroler's own user).
 *   <li>{@code kubernetes} [{@code executor.kubernetes.watch-namespaces}, {@code policy.pod.*}, see
 *       {@link KubernetesSettings#fromFlat}]: the namespaces whose Jobs the Kubernetes backend
 *       watches (none: all) and the {@link PodPolicy} (restrictive) it checks each pod and the
 *       Secrets it reads against before it creates the Job.
 * </ul>
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
    KubernetesSettings kubernetes) {

  /** Where attempts run. */
  public enum Backend {
    PROCESS,
    KUBERNETES
  }

  public ExecutorConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(logStore, "logStore");
    Objects.requireNonNull(pollTimeout, "pollTimeout");
    Objects.requireNonNull(resyncInterval, "resyncInterval");
    Objects.requireNonNull(notReadyRetry, "notReadyRetry");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(processWorkDir, "processWorkDir");
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
      throw new IllegalArgumentException("Expected inFlightLimit >= 1, but got " + inFlightLimit);
    }
  }

  /** Every default, with Kafka at {@code bootstrapServers} and data in {@code dataDir}. */
  public static ExecutorConfig defaults(String bootstrapServers, Path dataDir) {
    return fromFlat(
        Map.of(
            KafkaSettings.PREFIX + "bootstrap.servers",
            bootstrapServers,
            "executor.data.dir",
            dataDir.toString()));
  }

  /** Reads the keys listed on this type; absent keys take their defaults. */
  public static ExecutorConfig fromFlat(Map<String, String> c) {
    Path dataDir = Path.of(c.getOrDefault("executor.data.dir", "kontroler-data"));
    Topics topics = Topics.fromFlat(c);
    return new ExecutorConfig(
        KafkaSettings.fromFlat(c, "localhost:9092"),
        c.getOrDefault("executor.group.id", "kontroler-executor"),
        topics,
        Backend.valueOf(
            c.getOrDefault("executor.backend", "process").trim().toUpperCase(Locale.ROOT)),
        Integer.parseInt(c.getOrDefault("executor.in.flight.limit", "32").trim()),
        dataDir,
        LogStoreConfig.fromFlat(c, dataDir),
        c.get("executor.kubernetes.namespace"),
        millis(c, "executor.poll.ms", 100),
        millis(c, "executor.resync.ms", 10_000),
        millis(c, "executor.not.ready.retry.ms", 5_000),
        c.getOrDefault("executor.id", defaultExecutorId()),
        millis(c, "executor.heartbeat.interval.ms", 1_000),
        Path.of(c.getOrDefault("executor.process.work-dir", defaultWorkDir().toString())),
        c.getOrDefault("executor.process.user", "nobody").trim(),
        KubernetesSettings.fromFlat(c));
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

  private static Duration millis(Map<String, String> c, String key, long otherwise) {
    String value = c.get(key);
    return Duration.ofMillis(value == null ? otherwise : Long.parseLong(value.trim()));
  }

  public ExecutorConfig withKafka(KafkaSettings kafka) {
    return new ExecutorConfig(
        kafka,
        groupId,
        topics,
        backend,
        inFlightLimit,
        dataDir,
        logStore,
        kubernetesNamespace,
        pollTimeout,
        resyncInterval,
        notReadyRetry,
        executorId,
        heartbeatInterval,
        processWorkDir,
        processUser,
        kubernetes);
  }

  public ExecutorConfig withGroupId(String groupId) {
    return new ExecutorConfig(
        kafka,
        groupId,
        topics,
        backend,
        inFlightLimit,
        dataDir,
        logStore,
        kubernetesNamespace,
        pollTimeout,
        resyncInterval,
        notReadyRetry,
        executorId,
        heartbeatInterval,
        processWorkDir,
        processUser,
        kubernetes);
  }

  public ExecutorConfig withTopics(Topics topics) {
    return new ExecutorConfig(
        kafka,
        groupId,
        topics,
        backend,
        inFlightLimit,
        dataDir,
        logStore,
        kubernetesNamespace,
        pollTimeout,
        resyncInterval,
        notReadyRetry,
        executorId,
        heartbeatInterval,
        processWorkDir,
        processUser,
        kubernetes);
  }

  /** Kubernetes Jobs in {@code namespace} (null: each DAG's namespace). */
  public ExecutorConfig withKubernetes(String namespace) {
    return new ExecutorConfig(
        kafka,
        groupId,
        topics,
        Backend.KUBERNETES,
        inFlightLimit,
        dataDir,
        logStore,
        namespace,
        pollTimeout,
        resyncInterval,
        notReadyRetry,
        executorId,
        heartbeatInterval,
        processWorkDir,
        processUser,
        kubernetes);
  }

  public ExecutorConfig withInFlightLimit(int inFlightLimit) {
    return new ExecutorConfig(
        kafka,
        groupId,
        topics,
        backend,
        inFlightLimit,
        dataDir,
        logStore,
        kubernetesNamespace,
        pollTimeout,
        resyncInterval,
        notReadyRetry,
        executorId,
        heartbeatInterval,
        processWorkDir,
        processUser,
        kubernetes);
  }

  public ExecutorConfig withLogStore(LogStoreConfig logStore) {
    return new ExecutorConfig(
        kafka,
        groupId,
        topics,
        backend,
        inFlightLimit,
        dataDir,
        logStore,
        kubernetesNamespace,
        pollTimeout,
        resyncInterval,
        notReadyRetry,
        executorId,
        heartbeatInterval,
        processWorkDir,
        processUser,
        kubernetes);
  }

  public ExecutorConfig withTimings(Duration pollTimeout, Duration resync, Duration notReadyRetry) {
    return new ExecutorConfig(
        kafka,
        groupId,
        topics,
        backend,
        inFlightLimit,
        dataDir,
        logStore,
        kubernetesNamespace,
        pollTimeout,
        resync,
        notReadyRetry,
        executorId,
        heartbeatInterval,
        processWorkDir,
        processUser,
        kubernetes);
  }

  /** Names this worker {@code executorId}, heartbeating every {@code heartbeatInterval}. */
  public ExecutorConfig withExecutor(String executorId, Duration heartbeatInterval) {
    return new ExecutorConfig(
        kafka,
        groupId,
        topics,
        backend,
        inFlightLimit,
        dataDir,
        logStore,
        kubernetesNamespace,
        pollTimeout,
        resyncInterval,
        notReadyRetry,
        executorId,
        heartbeatInterval,
        processWorkDir,
        processUser,
        kubernetes);
  }

  /** Processes work in {@code workDir} and run as {@code user} when Kontroler runs as root. */
  public ExecutorConfig withProcesses(Path workDir, String user) {
    return new ExecutorConfig(
        kafka,
        groupId,
        topics,
        backend,
        inFlightLimit,
        dataDir,
        logStore,
        kubernetesNamespace,
        pollTimeout,
        resyncInterval,
        notReadyRetry,
        executorId,
        heartbeatInterval,
        workDir,
        user,
        kubernetes);
  }

  /** Safe to log: Kafka secrets and the S3 secret key are masked. */
  @Override
  public String toString() {
    return "ExecutorConfig[kafka="
        + kafka
        + ", groupId="
        + groupId
        + ", topics="
        + topics
        + ", backend="
        + backend
        + ", inFlightLimit="
        + inFlightLimit
        + ", dataDir="
        + dataDir
        + ", logStore="
        + logStore
        + ", kubernetesNamespace="
        + (kubernetesNamespace == null ? "(each DAG's)" : kubernetesNamespace)
        + ", pollTimeout="
        + pollTimeout
        + ", resyncInterval="
        + resyncInterval
        + ", notReadyRetry="
        + notReadyRetry
        + ", executorId="
        + executorId
        + ", heartbeatInterval="
        + heartbeatInterval
        + ", processWorkDir="
        + processWorkDir
        + ", processUser="
        + processUser
        + ", kubernetes="
        + kubernetes
        + "]";
  }
}

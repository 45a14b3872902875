package io.kontroler.ingest;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import io.kontroler.core.config.ValueType;
import io.kontroler.core.message.Topics;
import io.kontroler.core.validate.PodPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the ingest. Every key is described once, in {@link #TABLE} ({@code kontroler
 * ingest --help} and the README list them); {@link #toString()} masks secrets.
 */
public record IngestConfig(
    KafkaSettings kafka,
    Topics topics,
    String triggerTopic,
    String instanceId,
    Quartz quartz,
    Kubernetes kubernetes,
    Duration startupTimeout) {

  public static final String DEFAULT_TRIGGER_TOPIC = "kontroler.triggers";

  public IngestConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(quartz, "quartz");
    Objects.requireNonNull(kubernetes, "kubernetes");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    triggerTopic = triggerTopic == null ? "" : triggerTopic.trim();
    if (instanceId == null || instanceId.isBlank()) {
      throw new IllegalArgumentException("Expected ingest.instance-id, but got none");
    }
  }

  /** Where Quartz keeps schedules. */
  public enum QuartzMode {
    memory,
    jdbc
  }

  /**
   * Quartz settings; the JDBC fields are required in {@code jdbc} mode.
   *
   * @param clusterCheckinMillis how often a clustered node checks in
   * @param misfireThresholdMillis how late a fire may be before it counts as missed
   */
  public record Quartz(
      QuartzMode mode,
      String jdbcUrl,
      String jdbcUser,
      String jdbcPassword,
      int threads,
      long clusterCheckinMillis,
      long misfireThresholdMillis) {

    public Quartz {
      Objects.requireNonNull(mode, "mode");
      if (mode == QuartzMode.jdbc && (jdbcUrl == null || jdbcUrl.isBlank())) {
        throw new IllegalArgumentException(
            "Expected ingest.quartz.jdbc-url in jdbc mode, but got none");
      }
    }

    public static final ConfigKey<Quartz, QuartzMode> MODE =
        ConfigKey.key(
            "ingest.quartz.mode",
            ValueType.oneOf(QuartzMode.class),
            "memory",
            "Where schedules are kept: memory, or jdbc (clustered, on PostgreSQL).",
            Quartz::mode);
    public static final ConfigKey<Quartz, String> JDBC_URL =
        ConfigKey.key(
            "ingest.quartz.jdbc-url",
            ValueType.TEXT,
            null,
            "The PostgreSQL database of jdbc mode; required there.",
            Quartz::jdbcUrl);
    public static final ConfigKey<Quartz, String> JDBC_USER =
        ConfigKey.key(
            "ingest.quartz.jdbc-user", ValueType.TEXT, null, "Its user.", Quartz::jdbcUser);
    public static final ConfigKey<Quartz, String> JDBC_PASSWORD =
        ConfigKey.key(
                "ingest.quartz.jdbc-password",
                ValueType.TEXT,
                null,
                "Its password.",
                Quartz::jdbcPassword)
            .masked();
    public static final ConfigKey<Quartz, Integer> THREADS =
        ConfigKey.key(
            "ingest.quartz.threads",
            ValueType.intAtLeast(1),
            "4",
            "Threads that fire schedules.",
            Quartz::threads);
    public static final ConfigKey<Quartz, Long> CLUSTER_CHECKIN =
        ConfigKey.key(
            "ingest.quartz.cluster-checkin-ms",
            ValueType.LONG.where(v -> v >= 100, "at least 100 ms"),
            "7500",
            "How often a clustered node checks in; a node silent for longer is taken over.",
            Quartz::clusterCheckinMillis);
    public static final ConfigKey<Quartz, Long> MISFIRE_THRESHOLD =
        ConfigKey.key(
            "ingest.quartz.misfire-threshold-ms",
            ValueType.LONG.where(v -> v >= 0, "a threshold >= 0"),
            "60000",
            "How late a fire may be before it counts as missed.",
            Quartz::misfireThresholdMillis);

    public static final ConfigTable<Quartz> TABLE =
        ConfigTable.of(
            MODE, JDBC_URL, JDBC_USER, JDBC_PASSWORD, THREADS, CLUSTER_CHECKIN, MISFIRE_THRESHOLD);

    /** Schedules in memory, every other key at its default. */
    public static final Quartz MEMORY = from(TABLE.require(Map.of()));

    static Quartz from(ConfigValues v) {
      return new Quartz(
          v.get(MODE),
          v.get(JDBC_URL),
          v.get(JDBC_USER),
          v.get(JDBC_PASSWORD),
          v.get(THREADS),
          v.get(CLUSTER_CHECKIN),
          v.get(MISFIRE_THRESHOLD));
    }

    @Override
    public String toString() {
      return TABLE.show("Quartz", this);
    }
  }

  /**
   * The Kubernetes controller: off, or on in every namespace (empty list) or in some. Ingest nodes
   * elect the one that runs it through a Lease in {@code leaseNamespace} (empty: the namespace of
   * the client's configuration, {@code default} when it has none).
   */
  public record Kubernetes(
      boolean enabled, List<String> namespaces, String leaseNamespace, PodPolicy podPolicy) {

    public Kubernetes(boolean enabled, List<String> namespaces, String leaseNamespace) {
      this(enabled, namespaces, leaseNamespace, PodPolicy.RESTRICTED);
    }

    public Kubernetes {
      podPolicy = Objects.requireNonNullElse(podPolicy, PodPolicy.RESTRICTED);
      namespaces = List.copyOf(Objects.requireNonNullElse(namespaces, List.of()));
      leaseNamespace = leaseNamespace == null ? "" : leaseNamespace.trim();
    }

    public static final ConfigKey<Kubernetes, Boolean> ENABLED =
        ConfigKey.key(
            "ingest.kubernetes.enabled",
            ValueType.BOOL,
            "false",
            "Run the controller that turns DAG, DagTask, DagRun and WorkFlow resources into"
                + " commands.",
            Kubernetes::enabled);
    public static final ConfigKey<Kubernetes, List<String>> NAMESPACES =
        ConfigKey.key(
                "ingest.kubernetes.namespaces",
                ValueType.LIST,
                null,
                "The namespaces it watches, comma separated; none: all.",
                Kubernetes::namespaces)
            .shownAs("all");
    public static final ConfigKey<Kubernetes, String> LEASE_NAMESPACE =
        ConfigKey.key(
                "ingest.kubernetes.lease-namespace",
                ValueType.TEXT,
                null,
                "Where the nodes elect the one that runs the controller; none: the client's"
                    + " namespace.",
                Kubernetes::leaseNamespace)
            .shownAs("the client's");

    public static final ConfigTable<Kubernetes> TABLE =
        ConfigTable.of(ENABLED, NAMESPACES, LEASE_NAMESPACE)
            .with(PodPolicy.TABLE, Kubernetes::podPolicy);

    static Kubernetes from(ConfigValues v) {
      return new Kubernetes(
          v.get(ENABLED),
          Objects.requireNonNullElse(v.get(NAMESPACES), List.of()),
          v.get(LEASE_NAMESPACE),
          PodPolicy.from(v));
    }
  }

  public static final ConfigKey<IngestConfig, String> TRIGGER_TOPIC =
      ConfigKey.key(
          "ingest.trigger-topic",
          ValueType.TEXT_OR_EMPTY,
          DEFAULT_TRIGGER_TOPIC,
          "Where outside systems may publish commands to be checked and forwarded; empty to"
              + " disable.",
          IngestConfig::triggerTopic);
  public static final ConfigKey<IngestConfig, String> INSTANCE_ID =
      ConfigKey.key(
              "ingest.instance-id",
              ValueType.TEXT,
              null,
              "This node's id, unique in a Quartz cluster.",
              IngestConfig::instanceId)
          .shownAs("the host name");
  public static final ConfigKey<IngestConfig, Duration> STARTUP_TIMEOUT =
      ConfigKey.key(
          "ingest.startup-timeout-seconds",
          ValueType.SECONDS.positive(),
          "120",
          "How long to wait for the topics to be read and the informers to sync.",
          IngestConfig::startupTimeout);

  /** Every key of the ingest. */
  public static final ConfigTable<IngestConfig> TABLE =
      ConfigTable.<IngestConfig>of()
          .with(KafkaSettings.TABLE, IngestConfig::kafka)
          .with(ConfigTable.of(TRIGGER_TOPIC, INSTANCE_ID, STARTUP_TIMEOUT), c -> c)
          .with(Quartz.TABLE, IngestConfig::quartz)
          .with(Kubernetes.TABLE, IngestConfig::kubernetes)
          .with(Topics.TABLE, IngestConfig::topics);

  /** The embedded default, as in {@code kontroler standalone}: Quartz in memory, no Kubernetes. */
  public static IngestConfig standalone(String bootstrapServers) {
    return fromFlat(
        Map.of(
            KafkaSettings.BOOTSTRAP_SERVERS.name(),
            bootstrapServers,
            INSTANCE_ID.name(),
            "standalone"));
  }

  /** Reads the keys of {@link #TABLE}; absent keys take their defaults. */
  public static IngestConfig fromFlat(Map<String, String> c) {
    ConfigValues v = TABLE.require(c);
    return new IngestConfig(
        KafkaSettings.from(v),
        Topics.from(v),
        v.get(TRIGGER_TOPIC),
        Objects.requireNonNullElseGet(v.get(INSTANCE_ID), IngestConfig::hostName),
        Quartz.from(v),
        Kubernetes.from(v),
        v.get(STARTUP_TIMEOUT));
  }

  /** A copy with the keys {@code overrides} sets. */
  public IngestConfig with(Map<String, String> overrides) {
    return fromFlat(TABLE.merged(this, new HashMap<>(overrides)));
  }

  @Override
  public String toString() {
    return TABLE.show("IngestConfig", this);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "ingest";
    }
  }
}

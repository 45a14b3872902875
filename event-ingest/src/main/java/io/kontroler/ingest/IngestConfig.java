package io.kontroler.ingest;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.BOOL;
import static io.kontroler.core.config.ValueType.INT;
import static io.kontroler.core.config.ValueType.LIST;
import static io.kontroler.core.config.ValueType.LONG;
import static io.kontroler.core.config.ValueType.SECONDS;
import static io.kontroler.core.config.ValueType.TEXT;
import static io.kontroler.core.config.ValueType.TEXT_OR_EMPTY;
import static io.kontroler.core.config.ValueType.oneOf;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import io.kontroler.core.message.Topics;
import io.kontroler.core.validate.PodPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
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
        key("ingest.quartz.mode", oneOf(QuartzMode.class), "memory")
            .readFrom(Quartz::mode)
            .doc("Where schedules are kept: memory, or jdbc (clustered, on PostgreSQL).");
    public static final ConfigKey<Quartz, String> JDBC_URL =
        key("ingest.quartz.jdbc-url", TEXT, null)
            .readFrom(Quartz::jdbcUrl)
            .doc("The PostgreSQL database of jdbc mode; required there.");
    public static final ConfigKey<Quartz, String> JDBC_USER =
        key("ingest.quartz.jdbc-user", TEXT, null).readFrom(Quartz::jdbcUser).doc("Its user.");
    public static final ConfigKey<Quartz, String> JDBC_PASSWORD =
        key("ingest.quartz.jdbc-password", TEXT, null)
            .readFrom(Quartz::jdbcPassword)
            .doc("Its password.")
            .masked();
    public static final ConfigKey<Quartz, Integer> THREADS =
        key("ingest.quartz.threads", INT.atLeast(1), "4")
            .readFrom(Quartz::threads)
            .doc("Threads that fire schedules.");
    public static final ConfigKey<Quartz, Long> CLUSTER_CHECKIN =
        key("ingest.quartz.cluster-checkin-ms", LONG.atLeast(100), "7500")
            .readFrom(Quartz::clusterCheckinMillis)
            .doc("How often a clustered node checks in; a node silent for longer is taken over.");
    public static final ConfigKey<Quartz, Long> MISFIRE_THRESHOLD =
        key("ingest.quartz.misfire-threshold-ms", LONG.atLeast(0), "60000")
            .readFrom(Quartz::misfireThresholdMillis)
            .doc("How late a fire may be before it counts as missed.");

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
        key("ingest.kubernetes.enabled", BOOL, "false")
            .readFrom(Kubernetes::enabled)
            .doc(
                "Run the controller that turns DAG, DagTask, DagRun and WorkFlow resources into commands.");
    public static final ConfigKey<Kubernetes, List<String>> NAMESPACES =
        key("ingest.kubernetes.namespaces", LIST, null)
            .readFrom(Kubernetes::namespaces)
            .doc("The namespaces it watches, comma separated; none: all.")
            .shownAs("all");
    public static final ConfigKey<Kubernetes, String> LEASE_NAMESPACE =
        key("ingest.kubernetes.lease-namespace", TEXT, null)
            .readFrom(Kubernetes::leaseNamespace)
            .doc(
                "Where the nodes elect the one that runs the controller; none: the client's namespace.")
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
      key("ingest.trigger-topic", TEXT_OR_EMPTY, DEFAULT_TRIGGER_TOPIC)
          .readFrom(IngestConfig::triggerTopic)
          .doc(
              "Where outside systems may publish commands to be checked and forwarded; empty to disable.");
  public static final ConfigKey<IngestConfig, String> INSTANCE_ID =
      key("ingest.instance-id", TEXT, null)
          .readFrom(IngestConfig::instanceId)
          .doc("This node's id, unique in a Quartz cluster.")
          .shownAs("the host name");
  public static final ConfigKey<IngestConfig, Duration> STARTUP_TIMEOUT =
      key("ingest.startup-timeout-seconds", SECONDS.positive(), "120")
          .readFrom(IngestConfig::startupTimeout)
          .doc("How long to wait for the topics to be read and the informers to sync.");

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
    return fromFlat(TABLE.merged(this, overrides));
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

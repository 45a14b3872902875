package io.kontroler.ingest;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.core.message.Topics;
import io.kontroler.core.validate.PodPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the ingest. From flat configuration ({@link #fromFlat}) the keys and defaults
 * are:
 *
 * <ul>
 *   <li>{@code kafka.bootstrap.servers} ({@code localhost:9092}) and any {@code kafka.*} client
 *       property;
 *   <li>{@code topics.dags}, {@code topics.commands}, {@code topics.run-events}, {@code
 *       topics.dead-letters}: topic names, as every component reads them ({@link Topics#fromFlat});
 *   <li>{@code ingest.trigger-topic} ({@code kontroler.triggers}): where outside systems may
 *       publish commands to be checked and forwarded; empty to disable;
 *   <li>{@code ingest.instance-id} (the host name): this node's id, unique in a Quartz cluster;
 *   <li>{@code ingest.quartz.mode} ({@code memory}): {@code memory} or {@code jdbc} (clustered, on
 *       PostgreSQL, with {@code ingest.quartz.jdbc-url}, {@code ingest.quartz.jdbc-user}, {@code
 *       ingest.quartz.jdbc-password});
 *   <li>{@code ingest.quartz.threads} (4), {@code ingest.quartz.cluster-checkin-ms} (7500), {@code
 *       ingest.quartz.misfire-threshold-ms} (60000);
 *   <li>{@code ingest.kubernetes.enabled} ({@code false}), {@code ingest.kubernetes.namespaces}
 *       (comma-separated; empty for all namespaces) and {@code ingest.kubernetes.lease-namespace}
 *       (empty: the client's namespace): where the nodes elect the one that runs the controller;
 *   <li>{@code policy.pod.*} ({@link PodPolicy}: restrictive): what the pods of DAG and DagTask
 *       resources may use; the controller rejects the others with the path of what is refused;
 *   <li>{@code ingest.startup-timeout-seconds} (120): how long to wait for the topics to be read
 *       and the informers to sync.
 * </ul>
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
    topics = Objects.requireNonNullElse(topics, Topics.DEFAULT);
    triggerTopic = triggerTopic == null ? "" : triggerTopic.trim();
    if (instanceId == null || instanceId.isBlank()) {
      throw new IllegalArgumentException("Expected an instance id, but got none");
    }
    quartz = Objects.requireNonNullElse(quartz, Quartz.MEMORY);
    kubernetes = Objects.requireNonNullElse(kubernetes, Kubernetes.DISABLED);
    startupTimeout = Objects.requireNonNullElse(startupTimeout, Duration.ofSeconds(120));
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

    public static final Quartz MEMORY =
        new Quartz(QuartzMode.memory, null, null, null, 4, 7500, 60000);

    public Quartz {
      Objects.requireNonNull(mode, "mode");
      if (mode == QuartzMode.jdbc && (jdbcUrl == null || jdbcUrl.isBlank())) {
        throw new IllegalArgumentException(
            "Expected ingest.quartz.jdbc-url in jdbc mode, but got none");
      }
      if (threads < 1 || clusterCheckinMillis < 100 || misfireThresholdMillis < 0) {
        throw new IllegalArgumentException(
            "Expected threads >= 1, cluster check-in >= 100 ms and misfire threshold >= 0, but got "
                + threads
                + ", "
                + clusterCheckinMillis
                + ", "
                + misfireThresholdMillis);
      }
    }

    public static Quartz jdbc(String url, String user, String password) {
      return new Quartz(QuartzMode.jdbc, url, user, password, 4, 7500, 60000);
    }

    @Override
    public String toString() {
      return "Quartz[mode="
          + mode
          + ", jdbcUrl="
          + jdbcUrl
          + ", jdbcUser="
          + jdbcUser
          + ", jdbcPassword="
          + (jdbcPassword == null ? "none" : "******")
          + ", threads="
          + threads
          + ", clusterCheckinMillis="
          + clusterCheckinMillis
          + ", misfireThresholdMillis="
          + misfireThresholdMillis
          + "]";
    }
  }

  /**
   * The Kubernetes controller: off, or on in every namespace (empty list) or in some. Ingest nodes
   * elect the one that runs it through a Lease in {@code leaseNamespace} (empty: the namespace of
   * the client's configuration, {@code default} when it has none).
   */
  public record Kubernetes(
      boolean enabled, List<String> namespaces, String leaseNamespace, PodPolicy podPolicy) {
    public static final Kubernetes DISABLED = new Kubernetes(false, List.of(), "");

    public Kubernetes(boolean enabled, List<String> namespaces, String leaseNamespace) {
      this(enabled, namespaces, leaseNamespace, PodPolicy.RESTRICTED);
    }

    public Kubernetes {
      podPolicy = Objects.requireNonNullElse(podPolicy, PodPolicy.RESTRICTED);
      namespaces = List.copyOf(Objects.requireNonNullElse(namespaces, List.of()));
      leaseNamespace = leaseNamespace == null ? "" : leaseNamespace.trim();
    }
  }

  /** The embedded default, as in {@code kontroler standalone}: Quartz in memory, no Kubernetes. */
  public static IngestConfig standalone(String bootstrapServers) {
    return new IngestConfig(
        KafkaSettings.of(bootstrapServers),
        Topics.DEFAULT,
        DEFAULT_TRIGGER_TOPIC,
        "standalone",
        Quartz.MEMORY,
        Kubernetes.DISABLED,
        null);
  }

  /** Reads the keys listed on this type; absent keys take their defaults. */
  public static IngestConfig fromFlat(Map<String, String> c) {
    Topics topics = Topics.fromFlat(c);
    QuartzMode mode =
        QuartzMode.valueOf(c.getOrDefault("ingest.quartz.mode", "memory").toLowerCase(Locale.ROOT));
    Quartz quartz =
        new Quartz(
            mode,
            c.get("ingest.quartz.jdbc-url"),
            c.get("ingest.quartz.jdbc-user"),
            c.get("ingest.quartz.jdbc-password"),
            Integer.parseInt(c.getOrDefault("ingest.quartz.threads", "4")),
            Long.parseLong(c.getOrDefault("ingest.quartz.cluster-checkin-ms", "7500")),
            Long.parseLong(c.getOrDefault("ingest.quartz.misfire-threshold-ms", "60000")));
    String namespaces = c.getOrDefault("ingest.kubernetes.namespaces", "");
    Kubernetes kubernetes =
        new Kubernetes(
            Boolean.parseBoolean(c.getOrDefault("ingest.kubernetes.enabled", "false")),
            Arrays.stream(namespaces.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList(),
            c.getOrDefault("ingest.kubernetes.lease-namespace", ""),
            PodPolicy.fromFlat(c));
    return new IngestConfig(
        KafkaSettings.fromFlat(c, "localhost:9092"),
        topics,
        c.getOrDefault("ingest.trigger-topic", DEFAULT_TRIGGER_TOPIC),
        c.getOrDefault("ingest.instance-id", hostName()),
        quartz,
        kubernetes,
        Duration.ofSeconds(
            Long.parseLong(c.getOrDefault("ingest.startup-timeout-seconds", "120"))));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "ingest";
    }
  }
}

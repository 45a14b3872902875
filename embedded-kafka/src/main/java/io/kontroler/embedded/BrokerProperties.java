package io.kontroler.embedded;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The properties of one Kafka node on localhost in KRaft mode that is broker and controller at
 * once, a voter of a quorum made of every node. One place for the settings the in-process broker
 * ({@link EmbeddedKafka}) and the nodes of a multi-node test cluster share; what differs between
 * them (replication, partitions, threads, topic auto-creation, extra settings) is set on the
 * builder.
 */
public final class BrokerProperties {
  /** The listener the controllers talk on. */
  public static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final int nodeId;
  private final Path logDir;
  private final List<Integer> brokerPorts;
  private final List<Integer> controllerPorts;
  private int replicationFactor = 1;
  private int minInsyncReplicas = 1;
  private int partitions = 1;
  private int internalTopicPartitions = 5;
  private int ioThreads = 4;
  private boolean autoCreateTopics = true;
  private final Map<String, Object> extra = new HashMap<>();

  private BrokerProperties(
      int nodeId, Path logDir, List<Integer> brokerPorts, List<Integer> controllerPorts) {
    if (brokerPorts.size() != controllerPorts.size()) {
      throw new IllegalArgumentException(
          "Expected one controller port per broker port, but got "
              + brokerPorts
              + " and "
              + controllerPorts);
    }
    if (nodeId < 1 || nodeId > brokerPorts.size()) {
      throw new IllegalArgumentException(
          "Expected a node id in 1.." + brokerPorts.size() + ", but got " + nodeId);
    }
    this.nodeId = nodeId;
    this.logDir = logDir;
    this.brokerPorts = List.copyOf(brokerPorts);
    this.controllerPorts = List.copyOf(controllerPorts);
  }

  /** The only node of a cluster of one. */
  public static BrokerProperties singleNode(Path logDir, int brokerPort, int controllerPort) {
    return new BrokerProperties(1, logDir, List.of(brokerPort), List.of(controllerPort));
  }

  /**
   * Node {@code nodeId} (1..n) of a cluster of n nodes, node i listening on the i-th broker and
   * controller port.
   */
  public static BrokerProperties clusterNode(
      int nodeId, Path logDir, List<Integer> brokerPorts, List<Integer> controllerPorts) {
    return new BrokerProperties(nodeId, logDir, brokerPorts, controllerPorts);
  }

  /** Replication factor and {@code min.insync.replicas} of every topic, internal ones included. */
  public BrokerProperties replication(int factor, int minInsync) {
    this.replicationFactor = factor;
    this.minInsyncReplicas = minInsync;
    return this;
  }

  /** Partitions of new topics, and of the offsets and transaction state topics. */
  public BrokerProperties partitions(int topics, int internalTopics) {
    this.partitions = topics;
    this.internalTopicPartitions = internalTopics;
    return this;
  }

  /** {@code num.io.threads}. */
  public BrokerProperties ioThreads(int threads) {
    this.ioThreads = threads;
    return this;
  }

  /** {@code auto.create.topics.enable}. */
  public BrokerProperties autoCreateTopics(boolean enabled) {
    this.autoCreateTopics = enabled;
    return this;
  }

  /** Sets one more broker property, or replaces one of the above. */
  public BrokerProperties with(String key, Object value) {
    extra.put(key, value);
    return this;
  }

  /** The node's id. */
  public int nodeId() {
    return nodeId;
  }

  /** The properties, for {@code kafka.server.KafkaConfig}. */
  public Map<String, Object> toMap() {
    int brokerPort = brokerPorts.get(nodeId - 1);
    int controllerPort = controllerPorts.get(nodeId - 1);
    String voters =
        IntStream.range(0, controllerPorts.size())
            .mapToObj(i -> (i + 1) + "@localhost:" + controllerPorts.get(i))
            .collect(Collectors.joining(","));
    Map<String, Object> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(nodeId));
    p.put("controller.quorum.voters", voters);
    p.put(
        "listeners",
        "PLAINTEXT://localhost:"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://localhost:"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", String.valueOf(partitions));
    p.put("default.replication.factor", String.valueOf(replicationFactor));
    p.put("min.insync.replicas", String.valueOf(minInsyncReplicas));
    p.put("offsets.topic.replication.factor", String.valueOf(replicationFactor));
    p.put("offsets.topic.num.partitions", String.valueOf(internalTopicPartitions));
    p.put("transaction.state.log.replication.factor", String.valueOf(replicationFactor));
    p.put("transaction.state.log.min.isr", String.valueOf(minInsyncReplicas));
    p.put("transaction.state.log.num.partitions", String.valueOf(internalTopicPartitions));
    p.put("share.coordinator.state.topic.replication.factor", String.valueOf(replicationFactor));
    p.put("share.coordinator.state.topic.min.isr", String.valueOf(minInsyncReplicas));
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    p.put("log.cleaner.threads", "1");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", String.valueOf(ioThreads));
    p.put("auto.create.topics.enable", String.valueOf(autoCreateTopics));
    // A transaction's first write that reaches the leader while the coordinator still completes
    // the producer's previous transaction is parked and retried by the leader; Kafka's first wait
    // is 20 ms, which a scheduler committing every hop meets a few times in a hundred hops.
    p.put("add.partitions.to.txn.retry.backoff.ms", "1");
    // Streams under exactly-once sets a short transaction timeout; allow it.
    p.put("transaction.max.timeout.ms", String.valueOf(TimeUnit.MINUTES.toMillis(15)));
    p.putAll(extra);
    return p;
  }
}
